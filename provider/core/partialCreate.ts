/**
 * Thrown once the cloud has a resource (an id) but it did not become ready. The host turns
 * `id`, `properties` and `reasons` into ErrorResourceInitFailed, so the engine records the
 * resource instead of losing a VM that bills.
 */
export class PartialCreateError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "PartialCreateError";
  }
}
