import { AsyncLocalStorage } from "async_hooks";

// What the native plugin knows about one engine request that the handlers' signatures do not
// carry: the request's own deadline (customTimeouts), the engine's Cancel, and the resource's URN
// for log lines. It travels with the async call chain, so waits deep inside a cloud adapter honour
// it without every adapter passing it along; the dynamic host sets no scope and nothing changes.

export interface CallScope {
  /** Epoch ms at which waits must give up (the request's `timeout`); overrides the resource's own deadline inputs. */
  deadlineAt?: number;
  /** How the deadline was set, for the timeout message: "customTimeouts (120s)". */
  deadlineSource?: string;
  /** Aborted when the engine sends Cancel: waits stop at once. */
  signal?: AbortSignal;
  /** The resource the request is about, so log lines land under it. */
  urn?: string;
}

const storage = new AsyncLocalStorage<CallScope>();

export function runInCallScope<T>(scope: CallScope, run: () => Promise<T>): Promise<T> {
  return storage.run(scope, run);
}

export function currentCallScope(): CallScope | undefined {
  return storage.getStore();
}
