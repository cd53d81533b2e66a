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

/**
 * Runs what follows a successful create (waiting, reading back). Any failure becomes a
 * PartialCreateError carrying the id, so the engine records the machine instead of losing it.
 */
export async function afterCreate<T>(opts: {
  what: string;
  id: string;
  work: () => Promise<T>;
  /** Inputs (with `__provider`) merged with whatever is known of the machine now. */
  properties: () => Promise<Record<string, unknown>>;
  deadlineNote?: (err: unknown) => string | undefined;
}): Promise<T> {
  try {
    return await opts.work();
  } catch (err) {
    const message = (err as Error).message;
    const summary = (err as { summary?: string }).summary;
    const reasons = [message, opts.deadlineNote?.(err), summary && !message.includes(summary) ? `observed: ${summary}` : undefined].filter(
      (r): r is string => !!r,
    );
    throw new PartialCreateError(
      `${opts.what}: ${opts.id} was created but did not become ready: ${message}. It is recorded in the stack (it may be billing); ` +
        "run `pulumi up` again to continue waiting, or `pulumi destroy` to delete it.",
      opts.id,
      await opts.properties().catch(() => ({})),
      reasons,
    );
  }
}
