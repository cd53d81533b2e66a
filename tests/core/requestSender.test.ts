import { z } from "zod";
import {
  AuthError,
  CapacityError,
  ConnectionError,
  GpuCloudError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnexpectedResponseError,
  ValidationError,
} from "../../provider/core/errors";
import { RateLimiter } from "../../provider/core/rateLimiter";
import {
  isGpuCloudError,
  parseBody,
  parseRetryAfter,
  rateHints,
  RequestSender,
  RequestSenderConfig,
} from "../../provider/core/requestSender";
import { json, netError, scripted, Step, track, visibleText } from "./helpers";

const KEY = "gpcn_live_7Hq2ZfK9xW4mP0sV3nB8";
const T0 = Date.parse("2026-05-19T14:00:00Z");

function sender(steps: Step[], over: Partial<RequestSenderConfig> = {}, fallback?: Step) {
  const s = scripted(steps, fallback);
  const logs: string[] = [];
  const events: Array<{ method: string; path: string; status: number | "error"; attempt: number }> = [];
  const limiter = over.limiter ?? new RateLimiter(null);
  const rs = new RequestSender({
    cloud: "GPCN",
    baseUrl: "https://api.example.test/v1/",
    apiKey: KEY,
    authHeaders: (k) => ({ "x-api-key": k }),
    limiter,
    transport: s.transport,
    random: () => 0,
    log: (m) => logs.push(m),
    onResponse: (e) => events.push(e),
    ...over,
  });
  return { rs, calls: s.calls, logs, events, limiter };
}

const ok = (data: unknown = { ok: true }, headers: Record<string, string> = {}) => json(200, data, headers);
const elapsed = (calls: Array<{ at: number }>) => calls.map((c) => c.at - T0);

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe("building requests", () => {
  test("joins base URL and path, drops undefined query values, sends auth headers and a JSON body", async () => {
    const { rs, calls } = sender([ok({ id: "vm-1" }, { "x-request-id": "r1" })]);
    const res = await rs.send({ method: "POST", path: "resource/gpu", query: { page: 2, search: undefined, all: true }, body: { name: "a" } });
    expect(res).toEqual({ status: 200, data: { id: "vm-1" }, headers: { "content-type": "application/json", "x-request-id": "r1" } });
    expect(calls).toHaveLength(1);
    const req = calls[0].req;
    expect(req.url).toBe("https://api.example.test/v1/resource/gpu?page=2&all=true");
    expect(req.method).toBe("POST");
    expect(req.body).toBe('{"name":"a"}');
    expect(req.headers["x-api-key"]).toBe(KEY);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.accept).toBe("application/json");
    expect(req.timeoutMs).toBe(60_000);
  });

  test("a request without a body has no body and no content-type; timeoutMs is configurable", async () => {
    const { rs, calls } = sender([ok()], { timeoutMs: 5_000 });
    await rs.send({ method: "GET", path: "/x" });
    expect(calls[0].req.body).toBeUndefined();
    expect(calls[0].req.headers["content-type"]).toBeUndefined();
    expect(calls[0].req.url).toBe("https://api.example.test/v1/x");
    expect(calls[0].req.timeoutMs).toBe(5_000);
  });

  test("an empty or non-JSON success body is returned as is", async () => {
    const { rs } = sender([{ status: 204, headers: {}, text: "" }, { status: 200, headers: {}, text: "plain words" }]);
    expect((await rs.send({ method: "DELETE", path: "/x" })).data).toBeUndefined();
    expect((await rs.send({ method: "GET", path: "/x" })).data).toBe("plain words");
  });

  test("exposes the cloud name", () => {
    expect(sender([]).rs.cloud).toBe("GPCN");
  });
});

describe("response validation", () => {
  const schema = z.object({ data: z.object({ id: z.string(), count: z.coerce.number() }) });

  test("returns the parsed value of a matching body", async () => {
    const { rs } = sender([ok({ data: { id: "a", count: "3", extra: 1 } })]);
    const res = await rs.send({ method: "GET", path: "/x", schema });
    expect(res.data).toEqual({ data: { id: "a", count: 3 } });
  });

  test("a body that does not match is an UnexpectedResponseError naming the paths, and is not retried", async () => {
    const { rs, calls } = sender([ok({ data: { id: 5 } })], {}, ok({ data: { id: "a", count: 1 } }));
    const err = await rs.send({ method: "GET", path: "/x", schema }).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.kind).toBe("unexpectedResponse");
    expect(err.status).toBe(200);
    expect(err.message).toMatch(/^GPCN: GET \/x returned HTTP 200 with an unexpected body: /);
    expect(err.message).toContain("data.id:");
    expect(err.message).toContain("data.count:");
    expect(err.issues.map((i: { path: string }) => i.path).sort()).toEqual(["data.count", "data.id"]);
    expect(calls).toHaveLength(1);
  });

  test("a root-level mismatch is reported as (root)", async () => {
    const { rs } = sender([{ status: 200, headers: {}, text: "<html>oops</html>" }]);
    const err = await rs.send({ method: "GET", path: "/x", schema }).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toContain("(root):");
  });
});

describe("Retry-After", () => {
  test("Retry-After: 3 on a 503 GET: no retry before 3000 ms of fake time, the retry happens at 3000 ms", async () => {
    const { rs, calls } = sender([json(503, { message: "busy" }, { "retry-after": "3" }), ok({ v: 1 })]);
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(2_999);
    expect(calls).toHaveLength(1);
    expect(t.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await t.promise;
    expect(t.result).toEqual({ ok: true, value: expect.objectContaining({ data: { v: 1 } }) });
    expect(elapsed(calls)).toEqual([0, 3_000]);
  });

  test("Retry-After: 3 on a 429 for a POST: the create is resent, exactly at 3000 ms", async () => {
    const { rs, calls, logs } = sender([json(429, { success: false, error: { code: "Rate Limited", message: "slow down" } }, { "retry-after": "3" }), ok()]);
    const t = track(rs.send({ method: "POST", path: "/resource/gpu", body: { name: "a" } }));
    await jest.advanceTimersByTimeAsync(2_999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(t.result?.ok).toBe(true);
    expect(elapsed(calls)).toEqual([0, 3_000]);
    expect(calls[1].req.body).toBe('{"name":"a"}');
    expect(logs.some((l) => l.includes("rate limited on POST /resource/gpu; retrying in 3s"))).toBe(true);
  });

  test("a 429 holds every request on the same limiter until the server's time, not just the one that got it", async () => {
    const limiter = new RateLimiter(null);
    const a = sender([json(429, {}, { "retry-after": "5" }), ok()], { limiter });
    const b = sender([ok()], { limiter });
    const ta = track(a.rs.send({ method: "GET", path: "/a" }));
    await jest.advanceTimersByTimeAsync(10);
    const tb = track(b.rs.send({ method: "GET", path: "/b" }));
    await jest.advanceTimersByTimeAsync(4_980);
    expect(b.calls).toHaveLength(0);
    expect(a.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(10);
    await Promise.all([ta.promise, tb.promise]);
    expect(elapsed(a.calls)).toEqual([0, 5_000]);
    expect(elapsed(b.calls)).toEqual([5_000]);
  });

  test("a 429 tells an adaptive budget (a cloud without a published limit) to halve what was in use, if that was a good part of it; a hard budget stays", async () => {
    const adaptive = new RateLimiter({ limit: 60, windowMs: 60_000, adaptive: true });
    const a = sender([ok(), ok(), ok(), json(429, {}, { "retry-after": "2" }), ok()], { limiter: adaptive });
    for (let i = 0; i < 3; i++) await a.rs.send({ method: "GET", path: "/x" });
    const t = track(a.rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(2_000);
    await t.promise;
    // Retry-After honoured; 4 sent of a guessed 60 is no sign of our rate: the budget is kept.
    expect(elapsed(a.calls)).toEqual([0, 0, 0, 0, 2_000]);
    expect(adaptive.currentLimit()).toBe(60);
    // 42 sent in the window (5 + 37) when the next 429 comes: halved to 21.
    const c = sender([...Array.from({ length: 36 }, () => ok()), json(429, {}, { "retry-after": "1" }), ok()], { limiter: adaptive });
    for (let i = 0; i < 36; i++) await c.rs.send({ method: "GET", path: "/y" });
    const tc = track(c.rs.send({ method: "GET", path: "/y" }));
    await jest.advanceTimersByTimeAsync(1_000);
    await tc.promise;
    expect(adaptive.currentLimit()).toBe(21);
    const hard = new RateLimiter({ limit: 60, windowMs: 60_000 });
    const b = sender([json(429, {}, { "retry-after": "2" }), ok()], { limiter: hard });
    const tb = track(b.rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(2_000);
    await tb.promise;
    expect(hard.currentLimit()).toBe(60);
  });

  test("Retry-After as an HTTP date waits until that date", async () => {
    const at = new Date(T0 + 7_000).toUTCString();
    const { rs, calls } = sender([json(429, {}, { "retry-after": at }), ok()]);
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(6_999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(elapsed(calls)).toEqual([0, 7_000]);
  });

  test("retry-after-ms takes precedence over Retry-After", async () => {
    const { rs, calls } = sender([json(503, {}, { "retry-after-ms": "1500", "retry-after": "30" }), ok()]);
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(1_499);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(elapsed(calls)).toEqual([0, 1_500]);
  });

  test("the body's error.retryAfter (seconds) is used when the header is missing", async () => {
    const { rs, calls } = sender([json(429, { success: false, error: { code: "Rate Limited", message: "wait", retryAfter: 2 } }), ok()]);
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(1_999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(elapsed(calls)).toEqual([0, 2_000]);
  });

  test("a Retry-After longer than maxRetryAfterMs on a 429 fails at once with the wait in the message", async () => {
    const body = { success: false, error: { code: "Rate Limited", message: "Too many requests. Please try again in 14 minutes.", retryAfter: 840 } };
    const { rs, calls } = sender([json(429, body, { "retry-after": "840", "x-request-id": "req-9" })], {}, ok());
    const t = track(rs.send({ method: "POST", path: "/resource/gpu", body: {} }));
    await jest.advanceTimersByTimeAsync(0);
    expect(t.done).toBe(true);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(840_000);
    expect(err.status).toBe(429);
    expect(err.code).toBe("Rate Limited");
    expect(err.requestId).toBe("req-9");
    expect(err.message).toContain("Too many requests");
    expect(err.message).toContain("14m00s");
    expect(calls).toHaveLength(1);
  });

  test("maxRetryAfterMs is configurable: 30 s allowed by default, refused when the limit is 10 s", async () => {
    const { rs, calls } = sender([json(429, {}, { "retry-after": "30" })], { maxRetryAfterMs: 10_000 }, ok());
    await expect(rs.send({ method: "GET", path: "/x" })).rejects.toBeInstanceOf(RateLimitError);
    expect(calls).toHaveLength(1);
  });

  test("a long Retry-After on a 5xx also fails fast instead of blocking for an hour", async () => {
    const { rs, calls } = sender([json(503, { message: "maintenance" }, { "retry-after": "3600" })], {}, ok());
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(0);
    expect(t.done).toBe(true);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(ServerError);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(calls).toHaveLength(1);
  });
});

describe("rate limiting without Retry-After", () => {
  test("429s back off exponentially with jitter and give up after maxRateLimitRetries", async () => {
    const { rs, calls } = sender([], { maxRateLimitRetries: 3 }, json(429, { message: "slow" }));
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.done).toBe(true);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.message).toBe("GPCN: GET /x failed: slow [HTTP 429]; still rate limited after 3 retries");
    // random() = 0 → half of the ceiling: 250, 500, 1000
    expect(elapsed(calls)).toEqual([0, 250, 750, 1_750]);
  });

  test("a 429 on a POST is resent (the cloud did not act on it)", async () => {
    const { rs, calls } = sender([json(429, {}), json(429, {}), json(201, { id: "x" })]);
    const t = track(rs.send({ method: "POST", path: "/vms", body: { a: 1 } }));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(t.result).toEqual({ ok: true, value: expect.objectContaining({ status: 201, data: { id: "x" } }) });
    expect(calls).toHaveLength(3);
  });
});

describe("server errors", () => {
  test("idempotent requests are retried on 5xx with equal-jitter exponential backoff", async () => {
    const { rs, calls, events } = sender([json(500, {}), json(502, {}), json(503, {}), json(504, {}), ok({ done: 1 })], { random: () => 0.5 });
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.result).toEqual({ ok: true, value: expect.objectContaining({ data: { done: 1 } }) });
    // ceilings 500, 1000, 2000, 4000 → 3/4 of each with random 0.5
    const at = elapsed(calls);
    expect(at.slice(1).map((v, i) => v - at[i])).toEqual([375, 750, 1_500, 3_000]);
    expect(events.map((e) => [e.status, e.attempt])).toEqual([[500, 1], [502, 2], [503, 3], [504, 4], [200, 5]]);
  });

  test("jitter stays within [ceiling/2, ceiling] and the ceiling is capped by maxDelayMs", async () => {
    const { rs, calls } = sender([json(500, {}), json(500, {}), json(500, {}), ok()], { random: () => 0.999999, baseDelayMs: 1_000, maxDelayMs: 1_500 });
    const t = track(rs.send({ method: "PUT", path: "/x", body: {} }));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(t.result?.ok).toBe(true);
    const at = elapsed(calls);
    const gaps = at.slice(1).map((v, i) => v - at[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(999);
    expect(gaps[0]).toBeLessThanOrEqual(1_000);
    for (const g of gaps.slice(1)) {
      expect(g).toBeGreaterThanOrEqual(1_499);
      expect(g).toBeLessThanOrEqual(1_500);
    }
  });

  test("gives up after maxRetries with the last ServerError", async () => {
    const { rs, calls } = sender([], { maxRetries: 2 }, json(500, { message: "boom" }, { "x-request-id": "abc" }));
    const t = track(rs.send({ method: "DELETE", path: "/vm/1" }));
    await jest.advanceTimersByTimeAsync(60_000);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(ServerError);
    expect(err.message).toBe("GPCN: DELETE /vm/1 failed: boom [HTTP 500, request id abc]");
    expect(calls).toHaveLength(3);
  });

  test("a non-idempotent POST is never resent after a 5xx", async () => {
    const { rs, calls } = sender([json(500, { message: "oops" })], {}, ok());
    const t = track(rs.send({ method: "POST", path: "/resource/gpu", body: {} }));
    await jest.advanceTimersByTimeAsync(60_000);
    expect((t.result as { error: any }).error).toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(1);
  });

  test("a POST marked idempotent is retried after a 5xx; a PUT marked non-idempotent is not", async () => {
    const a = sender([json(500, {}), ok()]);
    const ta = track(a.rs.send({ method: "POST", path: "/jobs", body: { jobIds: [] }, idempotent: true }));
    const b = sender([json(500, {})], {}, ok());
    const tb = track(b.rs.send({ method: "PUT", path: "/x", body: {}, idempotent: false }));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(ta.result?.ok).toBe(true);
    expect(a.calls).toHaveLength(2);
    expect(tb.result?.ok).toBe(false);
    expect(b.calls).toHaveLength(1);
  });

  test("4xx errors are mapped and never retried", async () => {
    const cases: Array<[number, unknown, new (...a: any[]) => GpuCloudError]> = [
      [400, { detail: "bad" }, ValidationError],
      [401, { success: false, error: "INVALID_CREDENTIALS", message: "bad key" }, AuthError],
      [404, { message: "Route Not Found" }, NotFoundError],
    ];
    for (const [status, body, cls] of cases) {
      const { rs, calls } = sender([json(status, body)], {}, ok());
      const err = await rs.send({ method: "GET", path: "/x" }).catch((e) => e);
      expect(err).toBeInstanceOf(cls);
      expect(err.status).toBe(status);
      expect(calls).toHaveLength(1);
    }
  });

  test("classifyError overrides the status class: a 503 classified as capacity is not retried", async () => {
    const classifyError = jest.fn(() => "capacity" as const);
    const { rs, calls } = sender([json(503, { message: "GPU provider not available" })], { classifyError }, ok());
    const err = await rs.send({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(CapacityError);
    expect(classifyError).toHaveBeenCalledWith(503, expect.objectContaining({ message: "GPU provider not available" }));
    expect(calls).toHaveLength(1);
  });

  test("the HTML page of a proxy becomes a ServerError with the page title", async () => {
    const page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    const { rs } = sender([{ status: 502, headers: { "content-type": "text/html" }, text: page }], { maxRetries: 0 });
    const err = await rs.send({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err.message).toBe("GPCN: GET /x failed: non-JSON error page: 502 Bad Gateway [HTTP 502]");
  });
});

describe("connection failures", () => {
  test("a POST whose connection was refused is resent: nothing reached the cloud", async () => {
    const { rs, calls } = sender([netError("connect ECONNREFUSED 127.0.0.1:443", "ECONNREFUSED"), ok({ id: 1 })]);
    const t = track(rs.send({ method: "POST", path: "/vms", body: {} }));
    await jest.advanceTimersByTimeAsync(249);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(t.result).toEqual({ ok: true, value: expect.objectContaining({ data: { id: 1 } }) });
    expect(elapsed(calls)).toEqual([0, 250]);
  });

  test("a refused connection found in the cause chain (undici's 'fetch failed') also counts as not sent", async () => {
    const wrapped = netError("fetch failed", undefined, netError("connect refused", "ECONNREFUSED"));
    const { rs, calls } = sender([wrapped, ok()]);
    const t = track(rs.send({ method: "POST", path: "/vms", body: {} }));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(t.result?.ok).toBe(true);
    expect(calls).toHaveLength(2);
  });

  test("a POST whose connection broke after sending is not resent and says it may have reached the cloud", async () => {
    const { rs, calls } = sender([netError("other side closed", "UND_ERR_SOCKET")], {}, ok());
    const t = track(rs.send({ method: "POST", path: "/vms", body: {} }));
    await jest.advanceTimersByTimeAsync(10_000);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.maybeProcessed).toBe(true);
    expect(err.code).toBe("UND_ERR_SOCKET");
    expect(err.message).toBe("GPCN: POST /vms failed: connection error (UND_ERR_SOCKET); the request may have reached the cloud");
    expect(calls).toHaveLength(1);
  });

  test("a GET is retried after a reset connection, up to maxRetries", async () => {
    const { rs, calls, events } = sender([], { maxRetries: 3 }, netError("read ECONNRESET", "ECONNRESET"));
    const t = track(rs.send({ method: "GET", path: "/x" }));
    await jest.advanceTimersByTimeAsync(60_000);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(calls).toHaveLength(4);
    expect(events.every((e) => e.status === "error")).toBe(true);
    expect(elapsed(calls)).toEqual([0, 250, 750, 1_750]);
  });

  test("a refused POST that keeps being refused stops after maxRetries and is marked not processed", async () => {
    const { rs, calls } = sender([], { maxRetries: 1 }, netError("refused", "ECONNREFUSED"));
    const t = track(rs.send({ method: "POST", path: "/x", body: {} }));
    await jest.advanceTimersByTimeAsync(10_000);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.maybeProcessed).toBe(false);
    expect(err.message).not.toContain("may have reached");
    expect(calls).toHaveLength(2);
  });
});

describe("server rate-limit headers feed the limiter", () => {
  test("X-RateLimit-Remaining: 0 with a relative reset holds the next request until the reset", async () => {
    const { rs, calls } = sender([ok({}, { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "4" }), ok()]);
    await rs.send({ method: "GET", path: "/a" });
    const t = track(rs.send({ method: "GET", path: "/b" }));
    await jest.advanceTimersByTimeAsync(3_999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(elapsed(calls)).toEqual([0, 4_000]);
  });

  test("an absolute reset in unix seconds is honoured too", async () => {
    const reset = String((T0 + 9_000) / 1000);
    const { rs, calls } = sender([ok({}, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), ok()]);
    await rs.send({ method: "GET", path: "/a" });
    const t = track(rs.send({ method: "GET", path: "/b" }));
    await jest.advanceTimersByTimeAsync(8_999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(elapsed(calls)).toEqual([0, 9_000]);
  });

  test("remaining > 0 does not hold anything", async () => {
    const { rs, calls } = sender([ok({}, { "x-ratelimit-remaining": "3", "x-ratelimit-reset": "60" }), ok()]);
    await rs.send({ method: "GET", path: "/a" });
    await rs.send({ method: "GET", path: "/b" });
    expect(elapsed(calls)).toEqual([0, 0]);
  });

  test("the sender's own budget applies: the 3rd request of a {limit:2} budget waits for the window", async () => {
    const limiter = new RateLimiter({ limit: 2, windowMs: 10_000 });
    const { rs, calls } = sender([], { limiter }, ok());
    const all = track(Promise.all([1, 2, 3].map((i) => rs.send({ method: "GET", path: `/${i}` }))));
    await jest.advanceTimersByTimeAsync(30_000);
    expect(all.result?.ok).toBe(true);
    // window is padded by the limiter's 1 s latency margin
    expect(elapsed(calls)).toEqual([0, 0, 11_000]);
  });
});

describe("the API key never leaks", () => {
  function expectNoKey(err: unknown) {
    expect(err).toBeDefined();
    expect(visibleText(err)).not.toContain(KEY);
  }

  test("a transport error echoing the request headers (undici style) is redacted in message and stack", async () => {
    const leaky = netError(`Request failed: headers {"x-api-key":"${KEY}"} at https://api.example.test`, "UND_ERR_SOCKET");
    const { rs } = sender([leaky]);
    const err = await rs.send({ method: "POST", path: "/x", body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expectNoKey(err);
  });

  test("a codeless transport error whose message has the key: the ConnectionError quotes it, redacted", async () => {
    const { rs } = sender([new TypeError(`invalid header value: x-api-key=${KEY}`)]);
    const err = await rs.send({ method: "POST", path: "/x", body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain("[redacted]");
    expect(err.cause).toBeUndefined();
    expectNoKey(err);
  });

  test("an error body echoing the key is redacted", async () => {
    const { rs } = sender([json(401, { success: false, message: `API key ${KEY} is not valid`, error: { code: "Unauthorized" } })]);
    const err = await rs.send({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain("API key [redacted] is not valid");
    expectNoKey(err);
  });

  test("a rate-limit failure after retries is redacted", async () => {
    const { rs } = sender([], { maxRateLimitRetries: 0 }, json(429, { message: `key ${KEY} over quota` }));
    const err = await rs.send({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expectNoKey(err);
  });

  test("an error thrown by the transport after the caller aborted is redacted and keeps its identity", async () => {
    const ac = new AbortController();
    const leaky = netError(`aborted; headers ${KEY}`, "UND_ERR_ABORTED");
    expect(leaky.stack).toContain(KEY); // stack already formatted (V8 formats lazily), so it must be rewritten
    const { rs } = sender([
      () => {
        ac.abort();
        throw leaky;
      },
    ]);
    const err = await rs.send({ method: "GET", path: "/x", signal: ac.signal }).catch((e) => e);
    expect(err).toBe(leaky);
    expectNoKey(err);
  });

  test("aborting during a backoff rejects with the AbortError itself (not a TypeError from redaction)", async () => {
    const ac = new AbortController();
    // Like systemClock outside jest: the sleep rejects with the signal's own reason, a DOMException.
    const clock = {
      now: () => Date.now(),
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
        }),
    };
    const { rs, calls } = sender([], { clock }, json(500, {}));
    const t = track(rs.send({ method: "GET", path: "/x", signal: ac.signal }));
    await jest.advanceTimersByTimeAsync(100);
    ac.abort();
    await jest.advanceTimersByTimeAsync(0);
    expect(t.done).toBe(true);
    const err = (t.result as { error: any }).error;
    expect(err).toBe(ac.signal.reason);
    expect(err.name).toBe("AbortError");
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
  });

  test("a transport error that is an AbortError DOMException whose text cannot be assigned is passed through", async () => {
    const ac = new AbortController();
    const { rs } = sender([
      () => {
        ac.abort();
        throw ac.signal.reason;
      },
    ]);
    const err = await rs.send({ method: "GET", path: "/x", signal: ac.signal }).catch((e) => e);
    expect(err).toBe(ac.signal.reason);
    expect(err.name).toBe("AbortError");
  });

  test("an unexpected-body error does not carry the key either", async () => {
    const { rs } = sender([ok({ token: KEY })]);
    const err = await rs.send({ method: "GET", path: "/x", schema: z.object({ token: z.number() }) }).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expectNoKey(err);
  });
});

describe("helpers", () => {
  test("parseBody parses JSON objects and arrays, keeps text and broken JSON as text", () => {
    expect(parseBody("")).toBeUndefined();
    expect(parseBody('  {"a":1}')).toEqual({ a: 1 });
    expect(parseBody("[1,2]")).toEqual([1, 2]);
    expect(parseBody("{not json")).toBe("{not json");
    expect(parseBody("Bad Gateway")).toBe("Bad Gateway");
  });

  test("parseRetryAfter reads seconds, HTTP dates and milliseconds; never negative", () => {
    const now = T0;
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "3" }, now)).toBe(3_000);
    expect(parseRetryAfter({ "retry-after": "0.5" }, now)).toBe(500);
    expect(parseRetryAfter({ "retry-after": "-4" }, now)).toBe(0);
    expect(parseRetryAfter({ "retry-after": new Date(now + 20_000).toUTCString() }, now)).toBe(20_000);
    expect(parseRetryAfter({ "retry-after": new Date(now - 20_000).toUTCString() }, now)).toBe(0);
    expect(parseRetryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "250" }, now)).toBe(250);
    expect(parseRetryAfter({ "retry-after-ms": "x", "retry-after": "2" }, now)).toBe(2_000);
  });

  test("rateHints reads X-RateLimit-* with reset as unix seconds or seconds from now", () => {
    expect(rateHints({}, T0)).toEqual({ limit: undefined, remaining: undefined, resetAt: undefined });
    expect(rateHints({ "x-ratelimit-limit": "100", "x-ratelimit-remaining": "7", "x-ratelimit-reset": "30" }, T0)).toEqual({
      limit: 100,
      remaining: 7,
      resetAt: T0 + 30_000,
    });
    expect(rateHints({ "x-ratelimit-reset": String(T0 / 1000 + 12) }, T0).resetAt).toBe(T0 + 12_000);
    expect(rateHints({ "x-ratelimit-remaining": "many" }, T0).remaining).toBeUndefined();
  });

  test("isGpuCloudError", () => {
    expect(isGpuCloudError(new ServerError("x", { cloud: "c" }))).toBe(true);
    expect(isGpuCloudError(new Error("x"))).toBe(false);
  });
});
