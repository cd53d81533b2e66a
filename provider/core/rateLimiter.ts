import { createHash } from "node:crypto";
import { Clock, systemClock } from "./clock";

export interface RateBudget {
  limit: number;
  windowMs: number;
}

export interface ServerRateHints {
  limit?: number;
  remaining?: number;
  /** Epoch ms when the server's window resets. */
  resetAt?: number;
}

// A sent request reaches the server up to this much later, so our window is a little longer
// than the server's: any server window then sees at most `limit` of our requests.
const LATENCY_MARGIN_MS = 1000;

/**
 * Sliding-window limiter shared by every resource in the host process (the engine runs steps in
 * parallel, all in one host). Also obeys the server's X-RateLimit-* hints, which cover requests
 * made by other processes with the same key.
 */
export class RateLimiter {
  private readonly sent: number[] = [];
  private blockedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  waitedMs = 0;

  constructor(
    private budget: RateBudget | null,
    private readonly clock: Clock = systemClock,
  ) {}

  setBudget(budget: RateBudget | null): void {
    this.budget = budget;
  }

  /** Resolves when one more request may be sent; calls are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  observe(hints: ServerRateHints): void {
    if (hints.remaining !== undefined && hints.remaining <= 0 && hints.resetAt && hints.resetAt > this.clock.now()) {
      this.blockedUntil = Math.max(this.blockedUntil, hints.resetAt);
    }
  }

  /** After a 429: nobody on this key sends before the server said so. */
  backOffUntil(epochMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, epochMs);
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      let waitMs = Math.max(0, this.blockedUntil - now);
      if (this.budget) {
        const windowMs = this.budget.windowMs + LATENCY_MARGIN_MS;
        while (this.sent.length && this.sent[0] <= now - windowMs) this.sent.shift();
        if (this.sent.length >= this.budget.limit) {
          waitMs = Math.max(waitMs, this.sent[0] + windowMs - now);
        }
      }
      if (waitMs <= 0) break;
      this.waitedMs += waitMs;
      await this.clock.sleep(waitMs);
    }
    this.sent.push(this.clock.now());
  }
}

const limiters = new Map<string, RateLimiter>();

/** One limiter per (cloud, endpoint, API key) for the whole process; the key is only hashed. */
export function sharedRateLimiter(cloud: string, endpoint: string, apiKey: string, budget: RateBudget | null): RateLimiter {
  const id = `${cloud}|${endpoint}|${createHash("sha256").update(apiKey).digest("hex").slice(0, 16)}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new RateLimiter(budget);
    limiters.set(id, limiter);
  } else {
    limiter.setBudget(budget);
  }
  return limiter;
}
