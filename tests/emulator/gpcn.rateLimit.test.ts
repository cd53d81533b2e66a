/** The per-key request limiter as the client sees it. */

import { startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { call } from "./gpcnTestClient";

let emu: GpcnEmulator;
afterEach(() => emu.close());

it("sends X-RateLimit-* on every response and 429 once over the limit", async () => {
  emu = await startGpcnEmulator({ rateLimit: { limit: 3, windowMs: 60_000 }, apiKeys: ["gpcn_a", "gpcn_b"] });
  const before = Math.floor(Date.now() / 1000);
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await call(emu, "GET", i === 1 ? "/no/such/route" : "/resource/gpu"); // 404s count too
    expect(res.headers.get("x-ratelimit-limit")).toBe("3");
    const reset = Number(res.headers.get("x-ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(before + 59);
    expect(reset).toBeLessThanOrEqual(before + 61);
    remaining.push(res.headers.get("x-ratelimit-remaining")!);
  }
  expect(remaining).toEqual(["2", "1", "0"]);

  const limited = await call(emu, "GET", "/resource/gpu");
  expect(limited.status).toBe(429);
  expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
  const retryAfter = Number(limited.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(55);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(limited.body).toEqual({ success: false, error: { code: "Rate Limited", message: expect.any(String), retryAfter } });

  // Limits are per API key.
  expect((await call(emu, "GET", "/resource/gpu", { key: "gpcn_b" })).status).toBe(200);
  expect(emu.stats()).toMatchObject({ rateLimited429: 1, limiter429: 1 });
});

it("limits unauthenticated callers by address, apart from keyed ones", async () => {
  emu = await startGpcnEmulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
  expect((await call(emu, "GET", "/resource/gpu", { key: null })).status).toBe(401);
  expect((await call(emu, "GET", "/resource/gpu", { key: null })).status).toBe(429);
  expect((await call(emu, "GET", "/resource/gpu")).status).toBe(200);
});

it("defaults to 100 per minute and can be switched off", async () => {
  emu = await startGpcnEmulator();
  expect((await call(emu, "GET", "/auth/check")).headers.get("x-ratelimit-limit")).toBe("100");
  emu.setRateLimit(null);
  const res = await call(emu, "GET", "/auth/check");
  expect(res.headers.get("x-ratelimit-limit")).toBeNull();
});
