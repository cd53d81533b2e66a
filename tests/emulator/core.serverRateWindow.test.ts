import { ServerRateWindow } from "../../emulator/core/serverRateWindow";

describe("ServerRateWindow", () => {
  let now = 1_700_000_000_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_700_000_000_000;
  });

  it("is off when configured with null", () => {
    const limiter = new ServerRateWindow(null, clock);
    expect(limiter.check("k")).toBeNull();
  });

  it("fixed window: allows `limit` requests, then refuses until the window ends", () => {
    const limiter = new ServerRateWindow({ limit: 2, windowMs: 10_000 }, clock);
    expect(limiter.check("k")).toMatchObject({ allowed: true, limit: 2, remaining: 1, resetUnixSec: 1_700_000_010 });
    expect(limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 });
    now += 4_000;
    expect(limiter.check("k")).toMatchObject({ allowed: false, remaining: 0, retryAfterSec: 6 });
    expect(limiter.check("other")).toMatchObject({ allowed: true }); // per client
    expect(limiter.rejected()).toBe(1);
    now += 6_000;
    expect(limiter.check("k")).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("sliding window: capacity returns as old requests age out", () => {
    const limiter = new ServerRateWindow({ limit: 2, windowMs: 10_000, mode: "sliding" }, clock);
    limiter.check("k");
    now += 5_000;
    limiter.check("k");
    expect(limiter.check("k")).toMatchObject({ allowed: false, retryAfterSec: 5 });
    now += 5_000; // the first request leaves the window
    expect(limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.check("k")?.allowed).toBe(false);
  });

  it("validates its configuration and can be reconfigured and reset", () => {
    expect(() => new ServerRateWindow({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
    const limiter = new ServerRateWindow({ limit: 1, windowMs: 1000 }, clock);
    limiter.check("k");
    expect(limiter.check("k")?.allowed).toBe(false);
    limiter.reset();
    expect(limiter.rejected()).toBe(0);
    expect(limiter.check("k")?.allowed).toBe(true);
    limiter.configure(null);
    expect(limiter.check("k")).toBeNull();
  });
});
