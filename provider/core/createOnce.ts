import { GpuCloudError } from "./errors";
import { logProgress } from "./progressLog";

// Clouds without idempotency keys: the marker of "this resource's machine" is its name plus its
// immutable inputs. A create is sent only after a look-up found nothing, and when its answer is
// lost it is sent again only after a fresh look-up still finds nothing: never a second GPU.

export interface CreateOnceSteps<R> {
  /** For messages: `gpcn:GpuVm "trainer"`. */
  what: string;
  /** This resource's machine if it already exists. `fresh` = bypass any coalesced listing. */
  findExisting(fresh: boolean): Promise<R | undefined>;
  send(): Promise<R>;
}

/** The request may have been acted on although no answer arrived. */
export function isUnsureOutcome(err: unknown): boolean {
  return err instanceof GpuCloudError && (err.maybeProcessed || err.kind === "server");
}

export async function createOnce<R>(steps: CreateOnceSteps<R>): Promise<{ result: R; adopted: boolean }> {
  const existing = await steps.findExisting(false);
  if (existing) {
    logProgress("warn", `${steps.what}: adopting the existing machine of the same name and configuration (an earlier create was interrupted)`);
    return { result: existing, adopted: true };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await steps.send(), adopted: false };
    } catch (err) {
      if (!isUnsureOutcome(err) || attempt > 1) throw err;
      const found = await steps.findExisting(true);
      if (found) {
        logProgress("warn", `${steps.what}: the create's answer was lost but the machine exists; adopting it`);
        return { result: found, adopted: true };
      }
      logProgress("info", `${steps.what}: the create was not acted on (${(err as Error).message}); sending it again`);
    }
  }
}
