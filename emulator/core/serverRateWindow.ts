/**
 * Per-client request limiter. Windows run on REAL time (never time-scaled): clients back off in
 * real seconds, so scaling the window would make Retry-After meaningless.
 *
 * - fixed: a window opens at a client's first request and allows `limit` requests until it ends.
 * - sliding: at most `limit` requests within any `windowMs` span (a log of recent request times).
 */

export interface RateLimitConfig {
  limit: number;
  windowMs: number;
  mode?: "fixed" | "sliding";
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the client gets capacity back, unix seconds. */
  resetUnixSec: number;
  /** Seconds to wait before retrying (only meaningful when not allowed). */
  retryAfterSec: number;
}

interface ClientWindow {
  /** fixed mode: start of the current window; sliding mode: unused */
  windowStart: number;
  /** fixed mode: requests counted in the window */
  count: number;
  /** sliding mode: timestamps of accepted requests, oldest first */
  hits: number[];
}

export function checkRateLimitConfig(config: unknown): string[] {
  if (config === null) return [];
  if (typeof config !== "object" || Array.isArray(config)) return ["rate limit must be an object or null"];
  const c = config as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof c.limit !== "number" || !Number.isInteger(c.limit) || c.limit < 1) problems.push("limit must be an integer >= 1");
  if (typeof c.windowMs !== "number" || !Number.isFinite(c.windowMs) || c.windowMs <= 0) {
    problems.push("windowMs must be a number > 0");
  }
  if (c.mode !== undefined && c.mode !== "fixed" && c.mode !== "sliding") problems.push('mode must be "fixed" or "sliding"');
  return problems;
}

export class ServerRateWindow {
  private config: RateLimitConfig | null;
  private clients = new Map<string, ClientWindow>();
  private rejectedCount = 0;

  constructor(config: RateLimitConfig | null, private readonly now: () => number = Date.now) {
    this.config = ServerRateWindow.validated(config);
  }

  private static validated(config: RateLimitConfig | null): RateLimitConfig | null {
    const problems = checkRateLimitConfig(config);
    if (problems.length > 0) throw new RangeError(problems.join("; "));
    return config && { mode: "fixed", ...config };
  }

  /** Replaces the configuration and forgets all windows. `null` disables limiting. */
  configure(config: RateLimitConfig | null): void {
    this.config = ServerRateWindow.validated(config);
    this.clients.clear();
  }

  currentConfig(): RateLimitConfig | null {
    return this.config && { ...this.config };
  }

  /** Counts a request for `clientKey`. Returns null when limiting is disabled (send no headers). */
  check(clientKey: string): RateLimitDecision | null {
    const config = this.config;
    if (!config) return null;
    const now = this.now();
    const client = this.clients.get(clientKey) ?? { windowStart: now, count: 0, hits: [] };
    this.clients.set(clientKey, client);
    const decision = config.mode === "sliding" ? slide(client, config, now) : fixed(client, config, now);
    if (!decision.allowed) this.rejectedCount++;
    return decision;
  }

  /** How many requests were refused with 429 since creation or the last reset. */
  rejected(): number {
    return this.rejectedCount;
  }

  reset(): void {
    this.clients.clear();
    this.rejectedCount = 0;
  }
}

function fixed(client: ClientWindow, config: RateLimitConfig, now: number): RateLimitDecision {
  if (now >= client.windowStart + config.windowMs) {
    client.windowStart = now;
    client.count = 0;
  }
  const resetMs = client.windowStart + config.windowMs;
  const allowed = client.count < config.limit;
  if (allowed) client.count++;
  return decide(allowed, config.limit, config.limit - client.count, resetMs, now);
}

function slide(client: ClientWindow, config: RateLimitConfig, now: number): RateLimitDecision {
  while (client.hits.length > 0 && client.hits[0] <= now - config.windowMs) client.hits.shift();
  const allowed = client.hits.length < config.limit;
  if (allowed) client.hits.push(now);
  const resetMs = (client.hits[0] ?? now) + config.windowMs;
  return decide(allowed, config.limit, config.limit - client.hits.length, resetMs, now);
}

function decide(allowed: boolean, limit: number, remaining: number, resetMs: number, now: number): RateLimitDecision {
  return {
    allowed,
    limit,
    remaining: Math.max(0, remaining),
    resetUnixSec: Math.ceil(resetMs / 1000),
    retryAfterSec: Math.max(1, Math.ceil((resetMs - now) / 1000)),
  };
}
