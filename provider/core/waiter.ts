import { currentCallScope } from "./callScope";
import { Clock, formatDuration, systemClock } from "./clock";
import { GpuCloudError } from "./errors";
import { delayFromWindow, Forecast, provisioningTimes } from "./provisioningTimes";

// Modelled on AWS SDK v3 waiters: a poll is classified into a state, polls are scheduled with
// backoff (or from the cloud's own completion estimate), and a failure says what was observed.

export type WaiterState = "success" | "failure" | "retry";

export interface Observation {
  state: WaiterState;
  /** Short label of what the cloud reported, e.g. "provisioning 40%". */
  label: string;
  percent?: number;
  /** Epoch ms at which the cloud expects completion. */
  etaAt?: number;
  /** The cloud's own words (failure reason, status message). */
  message?: string;
}

export interface PollOutcome<T> extends Observation {
  value: T;
}

export interface WaitOptions<T> {
  /** What is being waited on, for messages: `GPCN job 1c2d… (create VM "trainer")`. */
  what: string;
  poll(): Promise<PollOutcome<T>>;
  deadlineAt: number;
  /** What the cloud said when the operation started (e.g. the job in the create response). */
  initial?: Observation;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Poll this long after the cloud's estimate, so the first poll after it usually succeeds. */
  etaSlackMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  onProgress?(observation: Observation, elapsedMs: number): void;
  /** While sleeping long between polls, repeat the last observation this often (no request). */
  heartbeatMs?: number;
  /**
   * For a cloud that gives no completion estimate: schedule polls from the provisioning times of
   * machines of the same kind (provisioningTimes.ts), and record this one's when it succeeds.
   */
  forecast?: Forecast;
}


export interface WaitResult<T> {
  value: T;
  polls: number;
  elapsedMs: number;
  summary: string;
}

export class WaiterTimeoutError extends Error {
  constructor(message: string, readonly summary: string, readonly lastValue: unknown) {
    super(message);
    this.name = "WaiterTimeoutError";
  }
}

export class WaiterFailureError extends Error {
  constructor(message: string, readonly reason: string, readonly summary: string, readonly lastValue: unknown) {
    super(message);
    this.name = "WaiterFailureError";
  }
}

/** Transient poll errors (server, connection, rate limit) are recorded and polling goes on. */
function isTransient(err: unknown): boolean {
  return err instanceof GpuCloudError && (err.kind === "server" || err.kind === "connection" || err.kind === "rateLimit");
}

export class ObservationLog {
  private readonly entries: Array<{ label: string; at: number; count: number }> = [];
  private readonly errors: string[] = [];
  polls = 0;

  constructor(private readonly startedAt: number) {}

  /** `isPoll` false for what the cloud said when the operation started: seen, but not a poll. */
  record(label: string, at: number, isPoll = true): boolean {
    if (isPoll) this.polls++;
    const last = this.entries[this.entries.length - 1];
    if (last && last.label === label) {
      last.count++;
      return false;
    }
    this.entries.push({ label, at, count: 1 });
    return true;
  }

  recordError(message: string): void {
    this.polls++;
    this.errors.push(message);
  }

  summary(now: number): string {
    const seen = this.entries
      .map((e) => `${e.label} (at ${formatDuration(e.at - this.startedAt)}${e.count > 1 ? `, ×${e.count}` : ""})`)
      .join(" → ");
    const errs = this.errors.length ? `; ${this.errors.length} poll error(s), last: ${this.errors[this.errors.length - 1]}` : "";
    return `${this.polls} poll(s) over ${formatDuration(now - this.startedAt)}: ${seen || "no answer"}${errs}`;
  }
}

export function nextPollDelay(
  obs: Observation | undefined,
  history: { polls: number; overdue: number },
  now: number,
  opts: { minDelayMs: number; maxDelayMs: number; etaSlackMs: number },
): number {
  if (obs?.etaAt !== undefined && obs.etaAt + opts.etaSlackMs > now) {
    // The estimate is the best schedule there is: one poll just after it instead of a dozen before.
    return obs.etaAt + opts.etaSlackMs - now;
  }
  if (obs?.etaAt !== undefined) {
    // Past the estimate: it is nearly done, so look again soon, backing off gently.
    return Math.min(opts.maxDelayMs, 250 * 2 ** history.overdue);
  }
  return Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** history.polls);
}

export async function waitUntil<T>(given: WaitOptions<T>): Promise<WaitResult<T>> {
  const opts = withCallScope(given);
  const clock = opts.clock ?? systemClock;
  const startedAt = clock.now();
  const log = new ObservationLog(startedAt);
  const timing = { minDelayMs: opts.minDelayMs ?? 1000, maxDelayMs: opts.maxDelayMs ?? 15_000, etaSlackMs: opts.etaSlackMs ?? 150 };
  let last: Observation | undefined = opts.initial;
  let lastValue: unknown;
  let overdue = 0;
  let polls = 0;
  const forecast = opts.forecast;
  const store = forecast ? (forecast.store ?? provisioningTimes()) : undefined;
  /** Since the create, when the last poll that found it not ready was sent (a sample's lower bound). */
  let lastNotReadyMs: number | undefined;
  if (opts.initial) {
    log.record(opts.initial.label, startedAt, false);
    opts.onProgress?.(opts.initial, 0);
  }
  for (;;) {
    const now = clock.now();
    if (now >= opts.deadlineAt && polls > 0) {
      const summary = log.summary(now);
      const by = currentCallScope()?.deadlineSource;
      throw new WaiterTimeoutError(
        `timed out after ${formatDuration(now - startedAt)}${by ? ` (deadline from ${by})` : ""} waiting for ${opts.what}; saw ${summary}`,
        summary,
        lastValue,
      );
    }
    const window = forecast && last?.etaAt === undefined ? store!.window(forecast.key, forecast.documented) : undefined;
    const wanted = window ? delayFromWindow(window, now - forecast!.since, polls, timing.minDelayMs) : nextPollDelay(last, { polls, overdue }, now, timing);
    const delay = Math.min(wanted, Math.max(0, opts.deadlineAt - now));
    if (last?.etaAt !== undefined && last.etaAt + timing.etaSlackMs <= now) overdue++;
    await sleepWithHeartbeat(clock, delay, opts, last, startedAt);
    polls++;
    const sentMs = forecast ? clock.now() - forecast.since : 0;
    let outcome: PollOutcome<T>;
    try {
      outcome = await opts.poll();
    } catch (err) {
      if (!isTransient(err)) throw err;
      log.recordError((err as Error).message);
      continue;
    }
    lastValue = outcome.value;
    last = outcome;
    const changed = log.record(outcome.label, clock.now());
    if (changed) opts.onProgress?.(outcome, clock.now() - startedAt);
    if (outcome.state === "retry") lastNotReadyMs = sentMs;
    if (outcome.state === "success") {
      // Only a wait that saw the machine not ready yet bounds its provisioning time from below. A
      // shared read may go out after the poll asked for it: "not ready" holds from when it was
      // asked, "ready" only from when it answered.
      if (forecast && lastNotReadyMs !== undefined) store!.record(forecast.key, { loMs: lastNotReadyMs, hiMs: clock.now() - forecast.since });
      return { value: outcome.value, polls, elapsedMs: clock.now() - startedAt, summary: log.summary(clock.now()) };
    }
    if (outcome.state === "failure") {
      const summary = log.summary(clock.now());
      const reason = outcome.message || outcome.label;
      throw new WaiterFailureError(`${opts.what} failed: ${reason}`, reason, summary, outcome.value);
    }
  }
}

/**
 * Under the native plugin the engine's request timeout replaces the deadline the handler computed
 * from its inputs, and the engine's Cancel aborts the sleep between polls (see callScope.ts).
 */
function withCallScope<T>(opts: WaitOptions<T>): WaitOptions<T> {
  const scope = currentCallScope();
  if (!scope) return opts;
  const signals = [opts.signal, scope.signal].filter((s): s is AbortSignal => !!s);
  return {
    ...opts,
    deadlineAt: scope.deadlineAt ?? opts.deadlineAt,
    signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
  };
}

async function sleepWithHeartbeat<T>(clock: Clock, ms: number, opts: WaitOptions<T>, last: Observation | undefined, startedAt: number) {
  const beat = opts.heartbeatMs;
  if (!beat || !last || !opts.onProgress) return clock.sleep(ms, opts.signal);
  const until = clock.now() + ms;
  for (let left = ms; left > 0; left = until - clock.now()) {
    await clock.sleep(Math.min(beat, left), opts.signal);
    if (until - clock.now() > 0) opts.onProgress(last, clock.now() - startedAt);
  }
}
