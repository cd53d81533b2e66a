import type { ZodType } from "zod";
import { Clock, formatDuration, systemClock } from "./clock";
import {
  connectionError,
  errorFromResponse,
  ErrorKind,
  GpuCloudError,
  ParsedErrorBody,
  RateLimitError,
  UnexpectedResponseError,
} from "./errors";
import { RateLimiter, RateSlot } from "./rateLimiter";
import { redactError } from "./redaction";
import { requestWasNotSent, Transport, undiciTransport } from "./transport";

export interface RequestSenderConfig {
  /** The spec's lower-case name, kept in every error's `cloud` field. */
  cloud: string;
  /** The human name messages start with ("GPCN"); `cloud` when absent. */
  label?: string;
  baseUrl: string;
  apiKey: string;
  /** Auth strategy of the cloud: header name and value for a key. */
  authHeaders(apiKey: string): Record<string, string>;
  limiter: RateLimiter;
  classifyError?: (status: number, parsed: ParsedErrorBody) => ErrorKind | undefined;
  timeoutMs?: number;
  maxRetries?: number;
  maxRateLimitRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this fails at once instead of blocking a deployment silently. */
  maxRetryAfterMs?: number;
  transport?: Transport;
  clock?: Clock;
  random?: () => number;
  log?: (message: string) => void;
  onResponse?: (event: { method: string; path: string; status: number | "error"; attempt: number }) => void;
}

export interface RequestOptions<T> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema?: ZodType<T>;
  /**
   * Whether resending is harmless. Defaults to true for everything but POST. A non-idempotent
   * request is resent only when the cloud certainly did not act on it (429, refused connection).
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** How the first attempt counts against the rate budget (RateSlot); resends count one each. */
  rateSlot?: RateSlot;
}

export interface SenderResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

const REQUEST_ID_HEADERS = ["x-request-id", "x-correlation-id", "request-id", "cf-ray", "x-amzn-requestid"];

/** Owns retry, backoff, rate limiting and error mapping for one cloud account (stripe-node's RequestSender). */
export class RequestSender {
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly cfg: RequestSenderConfig) {
    this.transport = cfg.transport ?? undiciTransport;
    this.clock = cfg.clock ?? systemClock;
    this.random = cfg.random ?? Math.random;
  }

  get cloud(): string {
    return this.cfg.cloud;
  }

  async send<T = unknown>(opts: RequestOptions<T>): Promise<SenderResponse<T>> {
    try {
      return await this.sendWithRetries(opts);
    } catch (err) {
      throw redactError(err, [this.cfg.apiKey]);
    }
  }

  private async sendWithRetries<T>(opts: RequestOptions<T>): Promise<SenderResponse<T>> {
    const idempotent = opts.idempotent ?? opts.method !== "POST";
    const maxRetries = this.cfg.maxRetries ?? 4;
    const maxRateLimitRetries = this.cfg.maxRateLimitRetries ?? 8;
    let failures = 0;
    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      await this.cfg.limiter.acquireInFlight(attempt === 1 ? opts.rateSlot : undefined);
      let res;
      try {
        res = await this.transport({
          method: opts.method,
          url: this.url(opts.path, opts.query),
          headers: this.headers(opts.body !== undefined),
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          timeoutMs: this.cfg.timeoutMs ?? 60_000,
          signal: opts.signal,
        });
      } catch (cause) {
        this.cfg.limiter.settle();
        this.cfg.onResponse?.({ method: opts.method, path: opts.path, status: "error", attempt });
        if (opts.signal?.aborted) throw cause;
        const notSent = requestWasNotSent(cause);
        const err = connectionError(this.cfg.cloud, opts.method, opts.path, cause, !notSent, this.cfg.label);
        if ((idempotent || notSent) && failures < maxRetries) {
          await this.backoff(failures++, undefined, err.message, opts.signal);
          continue;
        }
        throw err;
      }
      this.cfg.onResponse?.({ method: opts.method, path: opts.path, status: res.status, attempt });
      this.cfg.limiter.observe(rateHints(res.headers, this.clock.now()));
      this.cfg.limiter.settle();

      if (res.status >= 200 && res.status < 300) return this.parseSuccess(opts, res);

      const retryAfterMs = parseRetryAfter(res.headers, this.clock.now());
      const err = errorFromResponse(
        {
          cloud: this.cfg.cloud,
          label: this.cfg.label,
          status: res.status,
          method: opts.method,
          path: opts.path,
          body: parseBody(res.text),
          requestId: REQUEST_ID_HEADERS.map((h) => res.headers[h]).find(Boolean),
          retryAfterMs,
        },
        this.cfg.classifyError,
      );
      if (err instanceof RateLimitError) {
        // Retry-After: 0 in a storm would otherwise resend at once, 8 times in a row.
        const waitMs = err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 250) : this.delayFor(rateLimited);
        if (waitMs > (this.cfg.maxRetryAfterMs ?? 120_000)) {
          throw new RateLimitError(`${err.message}; the cloud asks to wait ${formatDuration(waitMs)}, longer than we block a deployment`, err);
        }
        if (rateLimited >= maxRateLimitRetries) {
          throw new RateLimitError(`${err.message}; still rate limited after ${rateLimited} retries`, err);
        }
        rateLimited++;
        // The 429 proves the request was not acted on, so even a create may be resent.
        this.cfg.limiter.rateLimited(this.clock.now() + waitMs);
        this.cfg.log?.(`${this.cfg.label ?? this.cfg.cloud}: rate limited on ${opts.method} ${opts.path}; retrying in ${formatDuration(waitMs)}`);
        continue;
      }
      if (err.kind === "server" && idempotent && failures < maxRetries && (retryAfterMs ?? 0) <= (this.cfg.maxRetryAfterMs ?? 120_000)) {
        await this.backoff(failures++, retryAfterMs, err.message, opts.signal);
        continue;
      }
      throw err;
    }
  }

  private parseSuccess<T>(opts: RequestOptions<T>, res: { status: number; headers: Record<string, string>; text: string }): SenderResponse<T> {
    const body = parseBody(res.text);
    if (!opts.schema) return { status: res.status, data: body as T, headers: res.headers };
    const parsed = opts.schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      throw new UnexpectedResponseError(
        `${this.cfg.label ?? this.cfg.cloud}: ${opts.method} ${opts.path} returned HTTP ${res.status} with an unexpected body: ` +
          issues.slice(0, 5).map((i) => `${i.path || "(root)"}: ${i.message}`).join("; "),
        { cloud: this.cfg.cloud, status: res.status, issues },
      );
    }
    return { status: res.status, data: parsed.data, headers: res.headers };
  }

  private delayFor(failures: number): number {
    const base = this.cfg.baseDelayMs ?? 500;
    const cap = this.cfg.maxDelayMs ?? 20_000;
    const ceiling = Math.min(cap, base * 2 ** failures);
    return ceiling / 2 + this.random() * (ceiling / 2); // "equal jitter": never retries instantly
  }

  private async backoff(failures: number, retryAfterMs: number | undefined, why: string, signal?: AbortSignal): Promise<void> {
    const waitMs = Math.max(this.delayFor(failures), retryAfterMs ?? 0);
    this.cfg.log?.(`${why}; retrying in ${formatDuration(waitMs)}`);
    await this.clock.sleep(waitMs, signal);
  }

  private url(path: string, query?: RequestOptions<unknown>["query"]): string {
    const base = this.cfg.baseUrl.replace(/\/+$/, "");
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const q = qs.toString();
    return `${base}${path.startsWith("/") ? path : `/${path}`}${q ? `?${q}` : ""}`;
  }

  private headers(hasBody: boolean): Record<string, string> {
    return {
      accept: "application/json",
      "user-agent": "pulumi-gpucloud",
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...this.cfg.authHeaders(this.cfg.apiKey),
    };
  }
}

export function parseBody(text: string): unknown {
  if (!text) return undefined;
  const t = text.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Retry-After in seconds or as an HTTP date, or retry-after-ms; undefined when absent. */
export function parseRetryAfter(headers: Record<string, string>, now: number): number | undefined {
  const ms = Number(headers["retry-after-ms"]);
  if (headers["retry-after-ms"] && Number.isFinite(ms)) return Math.max(0, ms);
  const raw = headers["retry-after"];
  if (!raw) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

export function rateHints(headers: Record<string, string>, now: number) {
  const num = (name: string) => {
    const v = Number(headers[name]);
    return headers[name] !== undefined && Number.isFinite(v) ? v : undefined;
  };
  const reset = num("x-ratelimit-reset");
  // Reset is documented as unix seconds; small values are read as seconds from now.
  const resetAt = reset === undefined ? undefined : reset > 1e9 ? reset * 1000 : now + reset * 1000;
  return { limit: num("x-ratelimit-limit"), remaining: num("x-ratelimit-remaining"), resetAt };
}

export function isGpuCloudError(err: unknown): err is GpuCloudError {
  return err instanceof GpuCloudError;
}
