/**
 * What every cloud emulator does alike, run for each cloud in emulator/clouds.ts through its
 * adapter (tests/emulator/matrix/*): API keys, the per-key rate limit, the core fault bursts, one
 * machine's create -> ready -> delete, a lost create answer, and the CLI. What only one cloud does
 * stays in its own <cloud>.*.test.ts.
 */

import { EmulatedClock } from "../../emulator";
import { clouds } from "../../emulator/clouds";
import type { CommonEmulatorOptions } from "../../emulator/core/cloudEmulator";
import { runCli } from "../../emulator/runCli";
import { emulatorAdapters } from "./matrix/adapters";
import { callerFor, type AnyEmulator, type Caller, type EmulatorAdapter } from "./matrix/emulatorAdapter";

it("has one adapter per emulated cloud", () => {
  expect(Object.keys(emulatorAdapters).sort()).toEqual(Object.keys(clouds).sort());
});

describe.each(Object.keys(clouds))("%s emulator", (cloud) => {
  const adapter: EmulatorAdapter = emulatorAdapters[cloud];
  let emu: AnyEmulator | undefined;
  let call: Caller;
  const start = async (options: CommonEmulatorOptions) => {
    emu = await adapter.start(options);
    call = callerFor(emu, adapter);
    return emu;
  };
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  describe("API keys", () => {
    beforeEach(() => start({ rateLimit: null }));

    it("refuses a missing or unknown key in the cloud's own shape", async () => {
      for (const refusal of adapter.refusals) {
        const res = await call("GET", refusal.path, undefined, refusal.key);
        expect({ path: refusal.path, key: refusal.key, status: res.status, body: res.body }).toEqual(refusal);
      }
    });

    it("accepts the key every way the cloud takes one; public reads need none", async () => {
      for (const style of adapter.keyStyles) {
        const res = await fetch(`${emu!.url}${adapter.protectedRead}`, { headers: style(emu!.apiKeys[0]) });
        expect(res.status).toBe(200);
      }
      for (const path of adapter.publicReads) expect((await call("GET", path, undefined, null)).status).toBe(200);
    });

    it("accepts the cloud's test key by default and the keys it is given otherwise", async () => {
      expect(emu!.apiKeys).toEqual([adapter.defaultApiKey]);
      await emu!.close();
      await start({ rateLimit: null, apiKeys: ["key_a", "key_b"] });
      expect((await call("GET", adapter.protectedRead, undefined, "key_b")).status).toBe(200);
      expect((await call("GET", adapter.protectedRead, undefined, adapter.defaultApiKey)).status).not.toBe(200);
    });
  });

  describe("per-key rate limit", () => {
    it("sends X-RateLimit-* on every response and 429 once over the limit, per key", async () => {
      await start({ rateLimit: { limit: 3, windowMs: 60_000 }, apiKeys: ["key_a", "key_b"] });
      const before = Math.floor(Date.now() / 1000);
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await call("GET", i === 1 ? "/no/such/route" : adapter.protectedRead); // 404s count too
        expect(res.headers.get("x-ratelimit-limit")).toBe("3");
        const reset = Number(res.headers.get("x-ratelimit-reset"));
        expect(reset).toBeGreaterThanOrEqual(before + 59);
        expect(reset).toBeLessThanOrEqual(before + 61);
        remaining.push(res.headers.get("x-ratelimit-remaining")!);
      }
      expect(remaining).toEqual(["2", "1", "0"]);

      const limited = await call("GET", adapter.protectedRead);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(55);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.body).toEqual(adapter.rateLimitedBody(retryAfter));

      expect((await call("GET", adapter.protectedRead, undefined, "key_b")).status).toBe(200);
      expect(emu!.stats()).toMatchObject({ rateLimited429: 1, limiter429: 1 });
    });

    it("limits callers without a valid key by address, apart from keyed ones", async () => {
      await start({ rateLimit: { limit: 1, windowMs: 60_000 } });
      const refused = adapter.refusals.find((r) => r.key === null)!;
      expect((await call("GET", refused.path, undefined, null)).status).toBe(refused.status);
      expect((await call("GET", refused.path, undefined, null)).status).toBe(429);
      expect((await call("GET", adapter.protectedRead)).status).toBe(200);
    });

    it("applies the cloud's default limit (or none) and changes at runtime", async () => {
      await start({});
      const limitHeader = async () => (await call("GET", adapter.protectedRead)).headers.get("x-ratelimit-limit");
      expect(await limitHeader()).toBe(adapter.defaultRateLimit ? String(adapter.defaultRateLimit.limit) : null);
      emu!.setRateLimit({ limit: 5, windowMs: 60_000 });
      expect(await limitHeader()).toBe("5");
      emu!.setRateLimit(null);
      expect(await limitHeader()).toBeNull();
    });
  });

  describe("core fault bursts", () => {
    beforeEach(() => start({ rateLimit: null }));

    it("rateLimitBurst: 429 in the cloud's shape with Retry-After, `count` times", async () => {
      emu!.faults.set("rateLimitBurst", { count: 2, retryAfterSec: 7 });
      for (let i = 0; i < 2; i++) {
        const res = await call("GET", adapter.protectedRead);
        expect(res.status).toBe(429);
        expect(res.headers.get("retry-after")).toBe("7");
        expect(res.body).toEqual(adapter.rateLimitedBody(7));
      }
      expect((await call("GET", adapter.protectedRead)).status).toBe(200);
      expect(emu!.stats().rateLimited429).toBe(2);
      expect(emu!.stats().faultsFired.rateLimitBurst).toBe(2);
    });

    it("serverErrorBurst: the cloud's JSON or a proxy's HTML page, with the chosen status", async () => {
      emu!.faults.set("serverErrorBurst", { count: 1, status: 503 });
      const json = await call("GET", adapter.protectedRead);
      expect(json.status).toBe(503);
      expect(json.body).toMatchObject(adapter.unavailableBody as object);

      emu!.faults.set("serverErrorBurst", { count: 1, status: 502, html: true });
      const html = await call("GET", adapter.protectedRead);
      expect(html.status).toBe(502);
      expect(html.headers.get("content-type")).toMatch(/text\/html/);
      expect(html.text).toMatch(/<html>[\s\S]*502 Bad Gateway/);
      expect((await call("GET", adapter.protectedRead)).status).toBe(200);
    });

    it("connectionResetBurst: the connection dies without an answer", async () => {
      emu!.faults.set("connectionResetBurst", { count: 1 });
      const error = await call("GET", adapter.protectedRead).then(
        () => undefined,
        (err: Error & { cause?: { code?: string } }) => err,
      );
      expect(error?.cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
      expect((await call("GET", adapter.protectedRead)).status).toBe(200);
      expect(emu!.requests().find((r) => r.dropped)).toMatchObject({ status: 0, fault: "connectionResetBurst" });
    });
  });

  describe("one machine's life", () => {
    const m = adapter.machine;
    let wall: number;
    beforeEach(async () => {
      wall = Date.UTC(2026, 4, 19, 12, 0, 0);
      await start({ clock: new EmulatedClock({ now: () => wall }), rateLimit: null, seed: "matrix" });
    });

    it("create -> provisioning -> ready on time -> delete -> ended", async () => {
      const created = await m.create(emu!, call, "trainer-1");
      expect(created.status).toBe(m.createdStatus);
      const id = m.createdId(created);
      expect(m.names(emu!)).toEqual([m.nameAtCreate ? "trainer-1" : null]);
      expect(await m.status(call, id)).toBe(m.provisioning);
      wall += (m.ready.seconds - 1) * 1000;
      expect(await m.status(call, id)).not.toBe(m.ready.status);
      wall += 1000;
      expect(await m.status(call, id)).toBe(m.ready.status);

      expect((await m.delete(call, id)).status).toBe(m.deletedStatus);
      if (m.deleted.seconds > 0) {
        expect(await m.status(call, id)).not.toBe(m.deleted.status);
        wall += m.deleted.seconds * 1000;
      }
      expect(await m.status(call, id)).toBe(m.deleted.status);
    });

    it("a lost create answer: the client sees a reset, but the machine exists", async () => {
      m.loseNextCreate(emu!);
      await expect(m.create(emu!, call, "lost")).rejects.toThrow();
      expect(m.names(emu!)).toEqual([m.nameAtCreate ? "lost" : null]);
      expect(emu!.stats().dropped).toBe(1);
    });

    it("`skip` aims the lost answer at the k-th create: with skip 2 the first two are answered, the third made and its answer lost", async () => {
      m.loseNextCreate(emu!, 2);
      const answered = [await m.create(emu!, call, "first"), await m.create(emu!, call, "second")];
      expect(answered.map((r) => r.status)).toEqual([m.createdStatus, m.createdStatus]);
      expect(emu!.stats().dropped).toBe(0);
      await expect(m.create(emu!, call, "third")).rejects.toThrow();
      expect(m.names(emu!)).toEqual(m.nameAtCreate ? ["first", "second", "third"] : [null, null, null]);
      expect(emu!.stats().dropped).toBe(1);
    });
  });

  describe("the CLI", () => {
    it(`starts it with --cloud ${cloud}, prints the config lines, serves the key and logs requests`, async () => {
      const out: string[] = [];
      const { session, exitCode } = await runCli(["--cloud", cloud, "--port", "0", "--api-key", "cli_key", "--time-scale", "60"], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
      });
      expect(exitCode).toBe(0);
      try {
        const url = session!.running[0].cloud.url;
        expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${adapter.apiPrefix}$`));
        expect(out.join("\n")).toContain(`${clouds[cloud].title} emulator listening on ${url} `);
        expect(out).toContain(`  pulumi config set ${cloud}:endpoint ${url}`);
        expect(out).toContain(`  pulumi config set --secret ${cloud}:apiKey cli_key`);
        const res = await fetch(`${url}${adapter.protectedRead}`, { headers: adapter.keyStyles[0]("cli_key") });
        expect(res.status).toBe(200);
        const logged = `GET ${adapter.apiPrefix}${adapter.protectedRead} 200 `;
        expect(out.some((line) => line.startsWith(`[${cloud}] `) && line.includes(logged))).toBe(true);
      } finally {
        await session?.close();
      }
    });

    it("without --api-key the config lines carry the cloud's test key", async () => {
      const out: string[] = [];
      const { session } = await runCli(["--cloud", cloud, "--port", "0"], { out: (l) => out.push(l), err: (l) => out.push(l) });
      try {
        expect(out).toContain(`  pulumi config set --secret ${cloud}:apiKey ${adapter.defaultApiKey}`);
      } finally {
        await session?.close();
      }
    });
  });
});
