import { createHash } from "node:crypto";
import { Clock, systemClock } from "./clock";

export interface RateBudget {
  limit: number;
  windowMs: number;
  /**
   * The cloud publishes no limit, so `limit` is a starting guess, not a cap: a window that fills
   * with no 429 for a whole window doubles it; a 429 waits as its Retry-After says and, when more
   * than half the guess was in use, halves what was (AIMD, as TCP does with its window). A
   * documented limit (GPCN) or one the user set (`<cloud>:requestsPerMinute`) has no `adaptive`
   * and stays a hard budget.
   */
  adaptive?: boolean;
}

/**
 * How many requests one grant counts. "withFollowUp" counts a second one in the same window for a
 * request that must follow the answer at once (Nova's label PATCH: until it lands, nothing tells the
 * new VM from another create's or from a crash leftover, so it must not wait behind queued polls);
 * that follow-up then asks for "followUp" and is sent without queueing.
 */
export type RateSlot = "single" | "withFollowUp" | "followUp";

export interface ServerRateHints {
  limit?: number;
  remaining?: number;
  /** Epoch ms when the server's window resets. */
  resetAt?: number;
}

// A sent request reaches the server up to this much later, so our window is a little longer
// than the server's: any server window then sees at most `limit` of our requests.
const LATENCY_MARGIN_MS = 1000;

// Stacks sharing one API key run in separate processes that only meet in the server's window.
// A process keeps to its part of what is left (X-RateLimit-*), judged from how much of the window
// others spent beside its own requests. An early answer cannot show requests others have not
// sent yet, so a window starts with a few requests in flight and each answer allows one more
// (doubling every round trip) until the part is reached.
const FIRST_REQUESTS = 4;
const SHARE_RECHECK_MS = 50;
// After a pause (waiting for jobs) the last answer no longer shows what others spent meanwhile:
// start again from a few requests, as TCP restarts its window after idle (RFC 2861).
const STALE_AFTER_MS = 1000;
/** Spent beyond our own requests by this factor, the window is shared with other processes. */
const SHARED_ABOVE = 1.2;
/** Requests of a shared window left unspent for the other processes at its end. */
const MAX_RESERVE = 2;
/** After a 429, an adaptive budget grows again by this part of its starting guess per quiet window. */
const ADDITIVE_STEP = 0.1;
/** An adaptive budget never shrinks below this part of its starting guess. */
const MIN_PART_OF_GUESS = 0.25;

/**
 * Sliding-window limiter shared by every resource in the host process (the engine runs steps in
 * parallel, all in one host). Also obeys the server's X-RateLimit-* hints, which cover requests
 * made by other processes with the same key.
 */
export class RateLimiter {
  private readonly sent: number[] = [];
  /** When each follow-up slot not yet used was counted (see RateSlot). */
  private readonly reservations: number[] = [];
  private blockedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Requests granted whose answer has not come back. */
  private inFlight = 0;
  private answered = false;
  private lastAnswerAt = 0;
  /** In-flight requests allowed in the current server window; grows with every answer. */
  private ramp = FIRST_REQUESTS;
  /** The server's window as the latest answer told it. */
  private window?: { limit: number; remaining: number; resetAt: number };
  /** An adaptive budget's current limit (starts at the budget's). */
  private adaptedLimit?: number;
  /** When the latest 429 came back (-Infinity: none yet). */
  private last429At = -Infinity;
  /** A 429 before this time belongs to a burst already answered by a decrease. */
  private decreasedUntil = -Infinity;
  /** When an adaptive budget last grew after a 429 (once per window then). */
  private grewAt = -Infinity;
  /** An adaptive budget counts requests sent from here on (its latest decrease). */
  private budgetFrom = -Infinity;
  waitedMs = 0;

  constructor(
    private budget: RateBudget | null,
    private readonly clock: Clock = systemClock,
  ) {}

  setBudget(budget: RateBudget | null): void {
    // Every client of the process re-declares the same budget: what was learned of the cloud's
    // real limit stays unless the declared budget changed.
    const same = !!budget && !!this.budget && budget.limit === this.budget.limit && budget.windowMs === this.budget.windowMs && !!budget.adaptive === !!this.budget.adaptive;
    if (!same) this.adaptedLimit = undefined;
    this.budget = budget;
  }

  /** Requests per window now: the budget's limit, or what an adaptive one has grown or shrunk to. */
  currentLimit(): number | undefined {
    if (!this.budget) return undefined;
    return this.budget.adaptive ? (this.adaptedLimit ?? this.budget.limit) : this.budget.limit;
  }

  /** Resolves when one more request may be sent; calls are served in order. */
  acquire(): Promise<void> {
    return this.enqueue(false);
  }

  /**
   * As acquire(), for a request whose answer will be reported with settle(): it then also keeps
   * to this process's part of the server's window while the request is in flight.
   */
  acquireInFlight(slot: RateSlot = "single"): Promise<void> {
    if (slot === "followUp" && this.takeReservation()) return this.waitForFollowUp();
    return this.enqueue(true, slot === "withFollowUp" ? 2 : 1);
  }

  private enqueue(inFlight: boolean, slots = 1): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(inFlight, slots));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** A follow-up slot counted with its request and not used yet (within the window it was counted in). */
  private takeReservation(): boolean {
    const now = this.clock.now();
    const windowMs = (this.budget?.windowMs ?? 60_000) + LATENCY_MARGIN_MS;
    while (this.reservations.length && this.reservations[0] <= now - windowMs) this.reservations.shift();
    return this.reservations.shift() !== undefined;
  }

  /** A reserved follow-up is already counted: it skips the queue and waits only for a server-imposed pause. */
  private async waitForFollowUp(): Promise<void> {
    const waitMs = this.blockedUntil - this.clock.now();
    if (waitMs > 0) {
      this.waitedMs += waitMs;
      await this.clock.sleep(waitMs);
    }
    this.inFlight++;
  }

  observe(hints: ServerRateHints): void {
    if (hints.remaining !== undefined && hints.remaining <= 0 && hints.resetAt && hints.resetAt > this.clock.now()) {
      this.blockedUntil = Math.max(this.blockedUntil, hints.resetAt);
    }
    const { limit, remaining, resetAt } = hints;
    if (limit === undefined || remaining === undefined || resetAt === undefined) return;
    // Answers can arrive out of order: within one window the lowest remaining is the latest.
    if (!this.window || resetAt > this.window.resetAt) {
      if (this.window && this.clock.now() >= this.window.resetAt) this.ramp = FIRST_REQUESTS;
      this.window = { limit, remaining, resetAt };
    }
    else if (resetAt === this.window.resetAt) this.window.remaining = Math.min(this.window.remaining, remaining);
  }

  /** The answer to a request granted by acquireInFlight() came back, or the request failed. */
  settle(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.answered = true;
    this.ramp++;
    this.lastAnswerAt = this.clock.now();
  }

  /** How many more requests this process may have in flight now; undefined = no server window known. */
  private shareLeft(now: number): number | undefined {
    if (!this.window || now >= this.window.resetAt) {
      if (this.answered && !this.window) return undefined; // the cloud sends no rate headers
      if (this.window) this.ramp = FIRST_REQUESTS; // a new window: nothing known of it yet
      return FIRST_REQUESTS - this.inFlight;
    }
    if (this.inFlight === 0 && now - this.lastAnswerAt > STALE_AFTER_MS) this.ramp = FIRST_REQUESTS;
    const { limit, remaining, resetAt } = this.window;
    const windowMs = this.budget?.windowMs;
    // Our requests the server has counted: those of this window whose answer came back. The
    // reset is given in whole seconds, so the window may have opened up to a second earlier.
    const own = windowMs ? this.sent.filter((t) => t >= resetAt - windowMs - LATENCY_MARGIN_MS).length - this.inFlight : 0;
    const contention = Math.max(1, (limit - remaining) / Math.max(1, own));
    // Shared, a process takes half of its part of what is left: the others act on answers as old
    // as ours, so parts computed from one `remaining` can add up to more than is left. Halving
    // leaves that lag a margin, and the parts shrink with every answer as the window fills.
    const shared = contention > SHARED_ABOVE;
    const part = remaining > 0 ? Math.max(1, Math.floor(remaining / (shared ? 2 * contention : contention))) : 0;
    // Each process acts on answers a little behind the others: with others on the key, the last
    // quarter of a window goes one request at a time, so together they overshoot by at most one each.
    const tail = shared && remaining <= limit / 4 ? 1 : Infinity;
    // ...and the last few are left unspent: as many as the other processes may send on an answer
    // as old as ours (one each), so together they stop at the end of the window instead of one
    // past it (a 429 each), and wait for its reset.
    // At most 2: a process that misjudges others as busy (their requests earlier in the window
    // were sent by hosts that have finished) then waits for a reset it would wait for anyway.
    const reserve = shared ? Math.min(Math.ceil(contention) - 1, MAX_RESERVE) : 0;
    if (shared && remaining <= reserve) return -this.inFlight;
    return Math.min(part, this.ramp, tail) - this.inFlight;
  }

  /** After a 429: nobody on this key sends before the server said so. */
  backOffUntil(epochMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, epochMs);
  }

  /**
   * The server answered 429 and asked to wait until `epochMs` (its Retry-After): everyone on this
   * key waits; an adaptive budget that was using more than half its starting guess halves what
   * was in use in its window (not below a quarter of the guess), once per burst (the other
   * requests in flight then meet the same full window and say nothing new).
   */
  rateLimited(epochMs: number): void {
    const now = this.clock.now();
    this.last429At = now;
    this.backOffUntil(epochMs);
    if (!this.budget?.adaptive || now < this.decreasedUntil) return;
    const windowMs = this.budget.windowMs + LATENCY_MARGIN_MS;
    const used = this.sent.filter((t) => t > now - windowMs).length;
    // A 429 when we sent less than half the starting guess says more about a burst or other users
    // of the key than about our rate: Retry-After is honoured, the budget kept. Otherwise halve,
    // never below a quarter of the guess.
    if (used <= this.budget.limit / 2) return;
    this.adaptedLimit = Math.max(Math.ceil(this.budget.limit * MIN_PART_OF_GUESS), Math.floor(Math.min(this.currentLimit()!, used) / 2));
    this.decreasedUntil = Math.max(epochMs, now + 1);
    // Retry-After says when the server has room again: the halved budget counts the requests sent
    // from now on, not those it already refused or counted in its old window (`sent` keeps them:
    // shareLeft counts them as this process's own).
    this.budgetFrom = now;
  }

  /**
   * An adaptive budget's window is full: if no 429 came for a whole window, the guess was low
   * (the cloud took all of it): before any 429 double it, so a cloud allowing more is not waited
   * on; after one, grow by a tenth of the starting guess, at most once a window (additive
   * increase). Returns whether it grew.
   */
  private grow(now: number): boolean {
    const budget = this.budget;
    if (!budget?.adaptive || now - this.last429At < budget.windowMs) return false;
    const limit = this.currentLimit()!;
    if (this.last429At === -Infinity) this.adaptedLimit = limit * 2;
    else if (now - this.grewAt >= budget.windowMs) {
      this.adaptedLimit = limit + Math.max(1, Math.round(budget.limit * ADDITIVE_STEP));
      this.grewAt = now;
    } else return false;
    return true;
  }

  private async waitForSlot(inFlight: boolean, slots = 1): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      let waitMs = Math.max(0, this.blockedUntil - now);
      if (this.budget) {
        const windowMs = this.budget.windowMs + LATENCY_MARGIN_MS;
        while (this.sent.length && this.sent[0] <= now - windowMs) this.sent.shift();
        const counted = this.sent.filter((t) => t > this.budgetFrom);
        // Room for every slot (but a budget smaller than the slots only needs to be empty).
        const need = Math.min(slots, this.currentLimit()!);
        if (counted.length + need > this.currentLimit()! && !this.grow(now)) {
          waitMs = Math.max(waitMs, counted[0] + windowMs - now);
        }
      }
      const share = inFlight ? this.shareLeft(now) : undefined;
      if (share !== undefined && share <= 0) waitMs = Math.max(waitMs, SHARE_RECHECK_MS);
      if (waitMs <= 0) break;
      this.waitedMs += waitMs;
      await this.clock.sleep(waitMs);
    }
    const at = this.clock.now();
    for (let i = 0; i < slots; i++) this.sent.push(at);
    // The extra slots are follow-ups counted now, sent later without queueing (acquireInFlight("followUp")).
    for (let i = 1; i < slots; i++) this.reservations.push(at);
    if (inFlight) this.inFlight++;
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
