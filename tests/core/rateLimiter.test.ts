import type { Clock } from "../../provider/core/clock";
import { RateLimiter, sharedRateLimiter } from "../../provider/core/rateLimiter";

const T0 = Date.parse("2026-05-19T14:00:00Z");

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Starts n acquisitions at once and records the fake time each one is granted. */
function acquireMany(limiter: RateLimiter, n: number): number[] {
  const granted: number[] = [];
  for (let i = 0; i < n; i++) void limiter.acquire().then(() => granted.push(Date.now() - T0));
  return granted;
}

describe("sliding window", () => {
  test("250 acquisitions with {limit:100, windowMs:60000} never exceed 100 in any 61 s window", async () => {
    const limiter = new RateLimiter({ limit: 100, windowMs: 60_000 });
    const granted = acquireMany(limiter, 250);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(100);
    await jest.advanceTimersByTimeAsync(200_000);
    expect(granted).toHaveLength(250);

    // granted in call order, so times never go back
    for (let i = 1; i < granted.length; i++) expect(granted[i]).toBeGreaterThanOrEqual(granted[i - 1]);
    // any 101 consecutive grants span at least 61 s: no 61 s window holds more than 100
    for (let i = 0; i + 100 < granted.length; i++) expect(granted[i + 100] - granted[i]).toBeGreaterThanOrEqual(61_000);
    // ...and the limiter is not slower than it must be
    expect(granted.filter((t) => t === 0)).toHaveLength(100);
    expect(granted[100]).toBe(61_000);
    expect(granted[200]).toBe(122_000);
    expect(granted[249]).toBe(122_000);
    expect(limiter.waitedMs).toBeGreaterThan(0);
  });

  test("spread-out requests under the budget are never delayed", async () => {
    const limiter = new RateLimiter({ limit: 3, windowMs: 1_000 });
    const granted: number[] = [];
    for (let i = 0; i < 10; i++) {
      await limiter.acquire();
      granted.push(Date.now() - T0);
      await jest.advanceTimersByTimeAsync(700);
    }
    expect(granted).toEqual([0, 700, 1_400, 2_100, 2_800, 3_500, 4_200, 4_900, 5_600, 6_300]);
    expect(limiter.waitedMs).toBe(0);
  });

  test("a null budget never waits", async () => {
    const limiter = new RateLimiter(null);
    const granted = acquireMany(limiter, 1_000);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(1_000);
    expect(granted.every((t) => t === 0)).toBe(true);
  });

  test("setBudget applies to the next acquisition, including a smaller limit with a full window", async () => {
    const limiter = new RateLimiter({ limit: 10, windowMs: 10_000 });
    acquireMany(limiter, 6);
    await jest.advanceTimersByTimeAsync(0);
    limiter.setBudget({ limit: 2, windowMs: 10_000 });
    const later = acquireMany(limiter, 1);
    await jest.advanceTimersByTimeAsync(10_999);
    expect(later).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(later).toEqual([11_000]);
  });
});

describe("server hints", () => {
  test("remaining 0 with a reset in the future blocks until the reset", async () => {
    const limiter = new RateLimiter({ limit: 100, windowMs: 60_000 });
    limiter.observe({ limit: 100, remaining: 0, resetAt: T0 + 20_000 });
    const granted = acquireMany(limiter, 2);
    await jest.advanceTimersByTimeAsync(19_999);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([20_000, 20_000]);
  });

  test("hints that do not say 'exhausted' are ignored", async () => {
    const limiter = new RateLimiter(null);
    limiter.observe({ remaining: 5, resetAt: T0 + 20_000 });
    limiter.observe({ remaining: 0 }); // no reset time
    limiter.observe({ remaining: 0, resetAt: T0 - 1_000 }); // reset already past
    limiter.observe({});
    const granted = acquireMany(limiter, 1);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0]);
  });

  test("backOffUntil holds everyone and never shortens an earlier, longer block", async () => {
    const limiter = new RateLimiter(null);
    limiter.backOffUntil(T0 + 8_000);
    limiter.backOffUntil(T0 + 3_000);
    const granted = acquireMany(limiter, 3);
    await jest.advanceTimersByTimeAsync(7_999);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([8_000, 8_000, 8_000]);
    expect(limiter.waitedMs).toBe(8_000);
  });

  test("a block raised while an acquisition is already sleeping is obeyed when it wakes", async () => {
    const limiter = new RateLimiter(null);
    limiter.backOffUntil(T0 + 1_000);
    const granted = acquireMany(limiter, 1);
    await jest.advanceTimersByTimeAsync(500);
    limiter.backOffUntil(T0 + 4_000);
    await jest.advanceTimersByTimeAsync(3_499);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([4_000]);
  });
});

describe("clock and sharing", () => {
  test("uses an injected clock", async () => {
    let now = 1_000_000;
    const sleeps: number[] = [];
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    const limiter = new RateLimiter({ limit: 2, windowMs: 5_000 }, clock);
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    expect(sleeps).toEqual([6_000]);
    expect(now).toBe(1_006_000);
  });

  test("sharedRateLimiter returns one limiter per cloud, endpoint and key, and updates its budget", async () => {
    const a = sharedRateLimiter("gpcn", "https://a.test", "key-one-1234", { limit: 1, windowMs: 10_000 });
    const same = sharedRateLimiter("gpcn", "https://a.test", "key-one-1234", { limit: 1, windowMs: 10_000 });
    expect(same).toBe(a);
    expect(sharedRateLimiter("gpcn", "https://a.test", "key-two-1234", null)).not.toBe(a);
    expect(sharedRateLimiter("gpcn", "https://b.test", "key-one-1234", null)).not.toBe(a);
    expect(sharedRateLimiter("nova", "https://a.test", "key-one-1234", null)).not.toBe(a);

    // budget shared: second acquisition waits; then a null budget lifts the limit
    const granted = acquireMany(a, 2);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0]);
    sharedRateLimiter("gpcn", "https://a.test", "key-one-1234", null);
    await jest.advanceTimersByTimeAsync(11_000);
    expect(granted).toEqual([0, 11_000]);
    const more = acquireMany(a, 5);
    await jest.advanceTimersByTimeAsync(0);
    expect(more).toHaveLength(5);
  });
});

describe("one API key shared by several processes (acquireInFlight / settle)", () => {
  function acquireInFlight(limiter: RateLimiter, n: number): number[] {
    const granted: number[] = [];
    for (let i = 0; i < n; i++) void limiter.acquireInFlight().then(() => granted.push(Date.now() - T0));
    return granted;
  }

  test("until the first answer says what is left, only 4 requests are in flight; each answer lets 2 more go", async () => {
    const limiter = new RateLimiter({ limit: 100, windowMs: 60_000 });
    const granted = acquireInFlight(limiter, 10);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(granted).toHaveLength(4);
    limiter.observe({ limit: 100, remaining: 96, resetAt: T0 + 60_000 });
    limiter.settle();
    await jest.advanceTimersByTimeAsync(100);
    expect(granted).toHaveLength(6); // 3 in flight + 1 answered + 1 more
  });

  test("each answer allows one more in flight: the allowance doubles every round trip", async () => {
    const limiter = new RateLimiter({ limit: 100, windowMs: 60_000 });
    acquireInFlight(limiter, 4);
    await jest.advanceTimersByTimeAsync(0);
    const answer = (remaining: number) => {
      limiter.observe({ limit: 100, remaining, resetAt: T0 + 60_000 });
      limiter.settle();
    };
    for (let i = 0; i < 4; i++) answer(99 - i);
    const granted = acquireInFlight(limiter, 200);
    await jest.advanceTimersByTimeAsync(100);
    expect(granted).toHaveLength(8);
    for (let i = 0; i < 8; i++) answer(95 - i);
    await jest.advanceTimersByTimeAsync(100);
    expect(granted).toHaveLength(8 + 16);
  });

  test("when others spent twice what it did, it keeps in flight half of its third of what is left", async () => {
    const limiter = new RateLimiter({ limit: 300, windowMs: 60_000 });
    // 60 requests of ours, one at a time; two other processes send one each beside every one.
    for (let i = 1; i <= 60; i++) {
      await limiter.acquireInFlight();
      limiter.observe({ limit: 300, remaining: 300 - 3 * i, resetAt: T0 + 60_000 });
      limiter.settle();
    }
    const granted = acquireInFlight(limiter, 100);
    await jest.advanceTimersByTimeAsync(100);
    // 120 left, a third of it is ours; half of that goes now, as the others act on answers as old
    // as ours and the parts of one `remaining` could otherwise add up to more than is left.
    expect(granted).toHaveLength(20);
  });

  test("out-of-order answers: within one window the lowest remaining counts", async () => {
    const limiter = new RateLimiter({ limit: 10, windowMs: 60_000 });
    acquireInFlight(limiter, 2);
    await jest.advanceTimersByTimeAsync(0);
    limiter.observe({ limit: 10, remaining: 0, resetAt: T0 + 30_000 });
    limiter.settle();
    limiter.observe({ limit: 10, remaining: 9, resetAt: T0 + 30_000 });
    limiter.settle();
    const granted = acquireInFlight(limiter, 1);
    await jest.advanceTimersByTimeAsync(29_000);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(granted).toEqual([30_000]);
  });

  test("a cloud that sends no rate headers is never held back after its first answer", async () => {
    const limiter = new RateLimiter(null);
    acquireInFlight(limiter, 4);
    await jest.advanceTimersByTimeAsync(0);
    limiter.settle();
    const granted = acquireInFlight(limiter, 50);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(50);
  });
});

test("after a second without answers (waiting for jobs) it starts again from 4 in flight", async () => {
  jest.useFakeTimers({ now: T0 });
  const limiter = new RateLimiter({ limit: 100, windowMs: 60_000 });
  for (let i = 1; i <= 20; i++) {
    await limiter.acquireInFlight();
    limiter.observe({ limit: 100, remaining: 100 - i, resetAt: T0 + 60_000 });
    limiter.settle();
  }
  await jest.advanceTimersByTimeAsync(1_500);
  const granted: number[] = [];
  for (let i = 0; i < 30; i++) void limiter.acquireInFlight().then(() => granted.push(i));
  await jest.advanceTimersByTimeAsync(100);
  expect(granted).toHaveLength(4);
  jest.useRealTimers();
});

describe("an adaptive budget (the cloud publishes no limit: a starting guess, AIMD on 429)", () => {
  const GUESS = { limit: 60, windowMs: 60_000, adaptive: true };

  test("a window that fills with no 429 doubles it: 250 requests at a guessed 60/min all go at once", async () => {
    const limiter = new RateLimiter(GUESS);
    const granted = acquireMany(limiter, 250);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(250);
    expect(granted.every((t) => t === 0)).toBe(true);
    expect(limiter.currentLimit()).toBe(480);
    expect(limiter.waitedMs).toBe(0);
  });

  test("a 429 halves what was in use once per burst, waits its Retry-After, and grows back by a tenth per quiet window", async () => {
    const limiter = new RateLimiter(GUESS);
    acquireMany(limiter, 100);
    await jest.advanceTimersByTimeAsync(0);
    expect(limiter.currentLimit()).toBe(120);
    // The server took 80 and refused the rest, asking to wait 30 s: 100 in use → 50.
    limiter.rateLimited(T0 + 30_000);
    for (let i = 0; i < 19; i++) limiter.rateLimited(T0 + 30_000); // the same burst: no further decrease
    expect(limiter.currentLimit()).toBe(50);
    const after = acquireMany(limiter, 120);
    await jest.advanceTimersByTimeAsync(29_999);
    expect(after).toEqual([]);
    // Retry-After honoured: the halved budget counts from the server's time.
    await jest.advanceTimersByTimeAsync(1);
    expect(after).toHaveLength(50);
    expect(after.every((t) => t === 30_000)).toBe(true);
    // A window (60 s) without a 429: 50, then one additive step (+6, a tenth of the guess), then
    // no further growth within that window.
    await jest.advanceTimersByTimeAsync(61_000);
    expect(after).toHaveLength(106);
    expect(after.slice(50).every((t) => t === 91_000)).toBe(true);
    expect(limiter.currentLimit()).toBe(56);
    await jest.advanceTimersByTimeAsync(61_000);
    expect(after).toHaveLength(120);
  });

  test("a 429 when few were sent (a burst, others on the key) keeps the budget; halving never goes below a quarter of the guess", async () => {
    const limiter = new RateLimiter(GUESS);
    acquireMany(limiter, 3);
    await jest.advanceTimersByTimeAsync(0);
    limiter.rateLimited(T0 + 2_000);
    expect(limiter.currentLimit()).toBe(60);
    const after = acquireMany(limiter, 57);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(after).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(after).toHaveLength(57);
    // 60 in use, then a 429: 30; another burst later with 20 in use of 30: not below 15.
    limiter.rateLimited(T0 + 3_000);
    expect(limiter.currentLimit()).toBe(30);
    await jest.advanceTimersByTimeAsync(1_000);
    acquireMany(limiter, 31);
    await jest.advanceTimersByTimeAsync(0);
    limiter.rateLimited(T0 + 4_000);
    expect(limiter.currentLimit()).toBe(15);
  });

  test("a documented (or user-set) budget is a hard budget: a 429 waits but never changes it, a full window waits", async () => {
    const limiter = new RateLimiter({ limit: 100, windowMs: 60_000 });
    const granted = acquireMany(limiter, 101);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(100);
    limiter.rateLimited(T0 + 5_000);
    expect(limiter.currentLimit()).toBe(100);
    await jest.advanceTimersByTimeAsync(60_999);
    expect(granted).toHaveLength(100);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(101);
  });

  test("what it learned survives clients re-declaring the same budget, not a changed one", async () => {
    const limiter = sharedRateLimiter("nova", "https://adaptive.test", "key-adaptive-1", GUESS);
    acquireMany(limiter, 61);
    await jest.advanceTimersByTimeAsync(0);
    expect(limiter.currentLimit()).toBe(120);
    expect(sharedRateLimiter("nova", "https://adaptive.test", "key-adaptive-1", { ...GUESS })).toBe(limiter);
    expect(limiter.currentLimit()).toBe(120);
    sharedRateLimiter("nova", "https://adaptive.test", "key-adaptive-1", { limit: 100, windowMs: 60_000 });
    expect(limiter.currentLimit()).toBe(100);
  });

  test("with the server's X-RateLimit headers it keeps to what is left: a window of 100 is not overrun although the guess grew", async () => {
    const limiter = new RateLimiter(GUESS);
    let served = 0;
    let refused = 0;
    const windowEnd = T0 + 60_000;
    // A server allowing 100 per 60 s, telling what is left on every answer, answering in 50 ms.
    const send = async () => {
      await limiter.acquireInFlight();
      await new Promise((r) => setTimeout(r, 50));
      if (Date.now() < windowEnd && served >= 100) refused++;
      else served++;
      limiter.observe({ limit: 100, remaining: Math.max(0, 100 - served), resetAt: windowEnd });
      limiter.settle();
    };
    const all = Promise.all(Array.from({ length: 128 }, send));
    await jest.advanceTimersByTimeAsync(59_000);
    expect(served).toBe(100);
    expect(refused).toBe(0);
    await jest.advanceTimersByTimeAsync(5_000);
    await all;
    expect(served).toBe(128);
    expect(refused).toBe(0);
  });
});

test("on a shared key the last requests of a window are left to the others: it waits for the reset instead of overshooting", async () => {
  jest.useFakeTimers({ now: T0 });
  const limiter = new RateLimiter({ limit: 100, windowMs: 60_000 });
  // 49 of ours, one at a time, another process sending one beside each: 98 spent, 2 left.
  for (let i = 1; i <= 49; i++) {
    await limiter.acquireInFlight();
    limiter.observe({ limit: 100, remaining: 100 - 2 * i, resetAt: T0 + 60_000 });
    limiter.settle();
  }
  const granted: number[] = [];
  for (let i = 0; i < 3; i++) void limiter.acquireInFlight().then(() => granted.push(Date.now() - T0));
  await jest.advanceTimersByTimeAsync(100);
  // One more goes (2 left, one kept for the other process, which acts on an answer as old as ours).
  expect(granted).toHaveLength(1);
  limiter.observe({ limit: 100, remaining: 1, resetAt: T0 + 60_000 });
  limiter.settle();
  await jest.advanceTimersByTimeAsync(59_000);
  expect(granted).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(1_000);
  expect(granted.slice(1)).toEqual([60_000, 60_000]);
  jest.useRealTimers();
});

describe("a follow-up counted with its request (Nova's label PATCH after the POST)", () => {
  test("withFollowUp counts two; the follow-up then skips the queue while others wait for the window", async () => {
    const limiter = new RateLimiter({ limit: 4, windowMs: 60_000 });
    const order: string[] = [];
    await limiter.acquireInFlight("withFollowUp");
    limiter.settle();
    // Two more fill the window (2 + 2 = 4); a third single must wait for it to slide.
    for (const name of ["poll-1", "poll-2", "poll-3"]) void limiter.acquireInFlight().then(() => order.push(name));
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(["poll-1", "poll-2"]);
    await limiter.acquireInFlight("followUp");
    order.push("label");
    expect(order).toEqual(["poll-1", "poll-2", "label"]);
    await jest.advanceTimersByTimeAsync(61_000);
    expect(order).toEqual(["poll-1", "poll-2", "label", "poll-3"]);
  });

  test("without a reservation a follow-up queues like any request; a budget of 1 still grants withFollowUp", async () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000 });
    await limiter.acquireInFlight("withFollowUp");
    limiter.settle();
    await limiter.acquireInFlight("followUp"); // the reservation: no wait
    limiter.settle();
    let granted = false;
    void limiter.acquireInFlight("followUp").then(() => (granted = true)); // none left: waits for the window
    await jest.advanceTimersByTimeAsync(30_000);
    expect(granted).toBe(false);
    await jest.advanceTimersByTimeAsync(31_000);
    expect(granted).toBe(true);
  });
});
