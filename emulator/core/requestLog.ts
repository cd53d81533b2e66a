/** Request log and per-route counters kept by the emulator server. */

export interface RequestLogEntry {
  seq: number;
  /** Wall-clock ISO time the request arrived. */
  at: string;
  method: string;
  /** Path without query string. */
  path: string;
  /** Matched route pattern, or null when no route matched. */
  route: string | null;
  /** HTTP status sent; 0 when the connection was dropped without an answer. */
  status: number;
  dropped: boolean;
  /** Real wall time spent answering, ms. */
  durationMs: number;
  /** Fault knob that shaped this answer, if any. */
  fault?: string;
  /** Admin requests are logged but not counted in the stats. */
  admin: boolean;
}

export interface RequestStats {
  /** Non-admin requests seen. */
  requests: number;
  /** `METHOD /pattern` (or `METHOD <unmatched>`) -> count. */
  byRoute: Record<string, number>;
  /** status code (as string, "0" = dropped) -> count. */
  byStatus: Record<string, number>;
  /** Every 429 sent, by the limiter or by a rateLimitBurst. */
  rateLimited429: number;
  /** 429s sent by the rate limiter alone. */
  limiter429: number;
  /** Connections dropped without an answer (connection-reset bursts, lost responses). */
  dropped: number;
  /** Knob name -> times fired. */
  faultsFired: Record<string, number>;
}

const MAX_ENTRIES = 10_000; // a long-running CLI must not grow without bound

export class RequestLog {
  private log: RequestLogEntry[] = [];
  private seq = 0;
  private counters = emptyCounters();

  record(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const full = { ...entry, seq: ++this.seq };
    this.log.push(full);
    if (this.log.length > MAX_ENTRIES) this.log.splice(0, this.log.length - MAX_ENTRIES);
    if (!full.admin) {
      const c = this.counters;
      c.requests++;
      const routeKey = `${full.method} ${full.route ?? "<unmatched>"}`;
      c.byRoute[routeKey] = (c.byRoute[routeKey] ?? 0) + 1;
      c.byStatus[String(full.status)] = (c.byStatus[String(full.status)] ?? 0) + 1;
      if (full.status === 429) c.rateLimited429++;
      if (full.status === 429 && full.fault === "rateLimiter") c.limiter429++;
      if (full.dropped) c.dropped++;
    }
    return full;
  }

  entries(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  counts(): Omit<RequestStats, "faultsFired"> {
    const c = this.counters;
    return { ...c, byRoute: { ...c.byRoute }, byStatus: { ...c.byStatus } };
  }

  reset(): void {
    this.log = [];
    this.counters = emptyCounters();
  }
}

function emptyCounters(): Omit<RequestStats, "faultsFired"> {
  return { requests: 0, byRoute: {}, byStatus: {}, rateLimited429: 0, limiter429: 0, dropped: 0 };
}

/** One human-readable line per request, for the CLI and optional loggers. */
export function formatLogLine(e: RequestLogEntry): string {
  const status = e.dropped ? "DROPPED" : String(e.status);
  const fault = e.fault ? ` [${e.fault}]` : "";
  return `${e.at} ${e.method} ${e.path} ${status} ${e.durationMs.toFixed(1)}ms${fault}`;
}
