import type { Clock } from "../../provider/core/clock";
import { ConnectionError, NotFoundError, RateLimitError, ServerError, ValidationError } from "../../provider/core/errors";
import {
  nextPollDelay,
  Observation,
  ObservationLog,
  PollOutcome,
  waitUntil,
  WaiterFailureError,
  WaiterTimeoutError,
  WaitOptions,
} from "../../provider/core/waiter";
import { track } from "./helpers";

const T0 = Date.parse("2026-05-19T14:00:00Z");
const WHAT = 'GPCN job 1c2d (create VM "trainer")';

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

type Script = Array<PollOutcome<string> | Error | ((n: number) => PollOutcome<string>)>;

/** A poll function that plays a script (the last step repeats) and records the fake time of each poll. */
function poller(script: Script) {
  const at: number[] = [];
  const poll = jest.fn(async () => {
    at.push(Date.now() - T0);
    const step = script[Math.min(at.length - 1, script.length - 1)];
    if (step instanceof Error) throw step;
    return typeof step === "function" ? step(at.length) : step;
  });
  return { poll, at };
}

const retry = (label: string, extra: Partial<PollOutcome<string>> = {}): PollOutcome<string> => ({ state: "retry", label, value: label, ...extra });
const success = (label = "ready"): PollOutcome<string> => ({ state: "success", label, value: `value:${label}` });

function wait(opts: Partial<WaitOptions<string>> & Pick<WaitOptions<string>, "poll">) {
  return track(waitUntil({ what: WHAT, deadlineAt: T0 + 600_000, ...opts }));
}

describe("scheduling from the cloud's ETA", () => {
  test("a job whose ETA is 180 s away is polled once, at 180.15 s, not a dozen times", async () => {
    const { poll, at } = poller([success()]);
    const t = wait({ poll, initial: { state: "retry", label: "initializing", etaAt: T0 + 180_000 } });
    await jest.advanceTimersByTimeAsync(180_149);
    expect(poll).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await t.promise;
    expect(at).toEqual([180_150]);
    expect(t.result).toEqual({ ok: true, value: expect.objectContaining({ value: "value:ready", polls: 1, elapsedMs: 180_150 }) });
  });

  test("an ETA reported by a poll schedules the next poll at ETA + slack", async () => {
    const { poll, at } = poller([retry("provisioning 10%", { etaAt: T0 + 61_000 }), success()]);
    const t = wait({ poll, etaSlackMs: 500 });
    await jest.advanceTimersByTimeAsync(200_000);
    expect(t.result?.ok).toBe(true);
    expect(at).toEqual([1_000, 61_500]);
  });

  test("past the ETA it looks again soon, backing off gently from 250 ms", async () => {
    const { poll, at } = poller([retry("provisioning 99%", { etaAt: T0 + 1_000 }), retry("provisioning 99%", { etaAt: T0 + 1_000 }), retry("provisioning 99%", { etaAt: T0 + 1_000 }), retry("provisioning 99%", { etaAt: T0 + 1_000 }), success()]);
    const t = wait({ poll, initial: { state: "retry", label: "provisioning 90%", etaAt: T0 + 1_000 } });
    await jest.advanceTimersByTimeAsync(20_000);
    expect(t.result?.ok).toBe(true);
    expect(at).toEqual([1_150, 1_400, 1_900, 2_900, 4_900]);
  });

  test("an ETA beyond the deadline: one poll at the deadline, then a timeout", async () => {
    const { poll, at } = poller([retry("initializing")]);
    const t = wait({ poll, deadlineAt: T0 + 60_000, initial: { state: "retry", label: "initializing", etaAt: T0 + 3_600_000 } });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.result?.ok).toBe(false);
    expect((t.result as { error: any }).error).toBeInstanceOf(WaiterTimeoutError);
    expect(at).toEqual([60_000]);
  });

  test("works with an injected clock instead of timers", async () => {
    let now = 5_000_000;
    const sleeps: number[] = [];
    const clock: Clock = { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
    const poll = jest.fn(async () => success());
    const res = await waitUntil({ what: WHAT, poll, clock, deadlineAt: now + 600_000, initial: { state: "retry", label: "queued", etaAt: now + 180_000 } });
    expect(sleeps).toEqual([180_150]);
    expect(poll).toHaveBeenCalledTimes(1);
    expect(res.elapsedMs).toBe(180_150);
  });
});

describe("exponential schedule without an ETA", () => {
  test("polls at min delay doubling up to the max delay", async () => {
    const { poll, at } = poller([...Array(7).fill(retry("provisioning")), success()]);
    const t = wait({ poll });
    await jest.advanceTimersByTimeAsync(200_000);
    expect(t.result?.ok).toBe(true);
    expect(at).toEqual([1_000, 3_000, 7_000, 15_000, 30_000, 45_000, 60_000, 75_000]);
  });

  test("minDelayMs and maxDelayMs are honoured", async () => {
    const { poll, at } = poller([retry("a"), retry("a"), retry("a"), retry("a"), success()]);
    const t = wait({ poll, minDelayMs: 100, maxDelayMs: 300 });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(t.result?.ok).toBe(true);
    expect(at).toEqual([100, 300, 600, 900, 1_200]);
  });
});

describe("deadline", () => {
  test("times out at the deadline with a summary of what was seen", async () => {
    const { poll, at } = poller([(n) => retry(n < 3 ? "provisioning 10%" : "provisioning 40%", { value: `v${n}` })]);
    const t = wait({ poll, deadlineAt: T0 + 10_000 });
    await jest.advanceTimersByTimeAsync(9_999);
    expect(t.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(t.done).toBe(true);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(at).toEqual([1_000, 3_000, 7_000, 10_000]);
    expect(err.summary).toBe("4 poll(s) over 10s: provisioning 10% (at 1s, ×2) → provisioning 40% (at 7s, ×2)");
    expect(err.message).toBe(`timed out after 10s waiting for ${WHAT}; saw ${err.summary}`);
    expect(err.lastValue).toBe("v4");
  });

  test("the summary counts the polls made, not the observation the wait started with", async () => {
    const { poll } = poller([retry("provisioning")]);
    const t = wait({ poll, deadlineAt: T0 + 10_000, initial: { state: "retry", label: "initializing" } });
    await jest.advanceTimersByTimeAsync(10_000);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(poll).toHaveBeenCalledTimes(4);
    expect(err.summary).toBe("4 poll(s) over 10s: initializing (at 0s) → provisioning (at 1s, ×4)");
  });

  test("a deadline already past still polls once", async () => {
    const a = poller([success()]);
    const ta = wait({ poll: a.poll, deadlineAt: T0 - 1 });
    const b = poller([retry("provisioning")]);
    const tb = wait({ poll: b.poll, deadlineAt: T0 - 1 });
    await jest.advanceTimersByTimeAsync(0);
    expect(ta.result?.ok).toBe(true);
    expect((tb.result as { error: any }).error).toBeInstanceOf(WaiterTimeoutError);
    expect(a.at).toEqual([0]);
    expect(b.at).toEqual([0]);
  });
});

describe("failure", () => {
  test("a failure outcome ends the wait at once with the cloud's words", async () => {
    const { poll, at } = poller([retry("provisioning"), { state: "failure", label: "failed", message: "Image not available", value: "job-json" }]);
    const t = wait({ poll });
    await jest.advanceTimersByTimeAsync(3_000);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(WaiterFailureError);
    expect(err.message).toBe(`${WHAT} failed: Image not available`);
    expect(err.reason).toBe("Image not available");
    expect(err.lastValue).toBe("job-json");
    expect(err.summary).toBe("2 poll(s) over 3s: provisioning (at 1s) → failed (at 3s)");
    await jest.advanceTimersByTimeAsync(60_000);
    expect(at).toEqual([1_000, 3_000]);
  });

  test("without a message the label is the reason", async () => {
    const { poll } = poller([{ state: "failure", label: "cancelled", value: "x" }]);
    const t = wait({ poll });
    await jest.advanceTimersByTimeAsync(1_000);
    const err = (t.result as { error: any }).error;
    expect(err.reason).toBe("cancelled");
    expect(err.message).toBe(`${WHAT} failed: cancelled`);
  });
});

describe("poll errors", () => {
  test("transient errors (server, connection, rate limit) are recorded and polling goes on", async () => {
    const { poll, at } = poller([
      new ServerError("GPCN: POST /resource/jobs failed: boom [HTTP 500]", { cloud: "gpcn" }),
      new ConnectionError("GPCN: connection error (ECONNRESET)", { cloud: "gpcn" }),
      new RateLimitError("GPCN: slow down [HTTP 429]", { cloud: "gpcn" }),
      success(),
    ]);
    const t = wait({ poll });
    await jest.advanceTimersByTimeAsync(20_000);
    expect(t.result).toEqual({ ok: true, value: expect.objectContaining({ polls: 4, elapsedMs: 15_000 }) });
    expect(at).toEqual([1_000, 3_000, 7_000, 15_000]);
    const summary = (t.result as { value: { summary: string } }).value.summary;
    expect(summary).toBe("4 poll(s) over 15s: ready (at 15s); 3 poll error(s), last: GPCN: slow down [HTTP 429]");
  });

  test("transient errors until the deadline: the timeout mentions them", async () => {
    const { poll } = poller([new ServerError("boom", { cloud: "gpcn" })]);
    const t = wait({ poll, deadlineAt: T0 + 5_000 });
    await jest.advanceTimersByTimeAsync(5_000);
    const err = (t.result as { error: any }).error;
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(err.summary).toBe("3 poll(s) over 5s: no answer; 3 poll error(s), last: boom");
  });

  test.each([
    ["NotFoundError", new NotFoundError("gone", { cloud: "gpcn" })],
    ["ValidationError", new ValidationError("bad", { cloud: "gpcn" })],
    ["a plain Error", new Error("bug in poll")],
  ])("a non-transient error (%s) is rethrown as is and polling stops", async (_name, error) => {
    const { poll, at } = poller([retry("provisioning"), error]);
    const t = wait({ poll });
    await jest.advanceTimersByTimeAsync(3_000);
    expect(t.result).toEqual({ ok: false, error });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(at).toEqual([1_000, 3_000]);
  });
});

describe("progress", () => {
  test("onProgress fires for the initial observation and then only when the label changes", async () => {
    const seen: Array<[string, number]> = [];
    const { poll } = poller([retry("initializing"), retry("provisioning 10%"), retry("provisioning 10%"), retry("provisioning 50%"), success()]);
    const t = wait({
      poll,
      initial: { state: "retry", label: "initializing" },
      onProgress: (o: Observation, elapsed: number) => seen.push([o.label, elapsed]),
    });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(t.result?.ok).toBe(true);
    expect(seen).toEqual([
      ["initializing", 0],
      ["provisioning 10%", 3_000],
      ["provisioning 50%", 15_000],
      ["ready", 30_000],
    ]);
  });
});

describe("abort", () => {
  test("aborting while waiting rejects with the reason and stops polling", async () => {
    const ac = new AbortController();
    const { poll } = poller([retry("provisioning")]);
    const t = wait({ poll, signal: ac.signal });
    await jest.advanceTimersByTimeAsync(1_500);
    expect(poll).toHaveBeenCalledTimes(1);
    const reason = new Error("deployment cancelled");
    ac.abort(reason);
    await jest.advanceTimersByTimeAsync(0);
    expect(t.result).toEqual({ ok: false, error: reason });
    await jest.advanceTimersByTimeAsync(600_000);
    expect(poll).toHaveBeenCalledTimes(1);
  });

  test("an already aborted signal rejects before any poll", async () => {
    const ac = new AbortController();
    ac.abort();
    const { poll } = poller([success()]);
    const t = wait({ poll, signal: ac.signal });
    await jest.advanceTimersByTimeAsync(0);
    expect(t.result?.ok).toBe(false);
    expect(poll).not.toHaveBeenCalled();
  });
});

describe("nextPollDelay", () => {
  const timing = { minDelayMs: 1_000, maxDelayMs: 15_000, etaSlackMs: 150 };

  test("exponential from minDelayMs, capped at maxDelayMs", () => {
    expect([0, 1, 2, 3, 4, 10].map((polls) => nextPollDelay(undefined, { polls, overdue: 0 }, T0, timing))).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
  });

  test("before the ETA: exactly ETA + slack from now; after it: 250 ms doubling per overdue poll", () => {
    const obs: Observation = { state: "retry", label: "x", etaAt: T0 + 10_000 };
    expect(nextPollDelay(obs, { polls: 5, overdue: 0 }, T0, timing)).toBe(10_150);
    expect(nextPollDelay(obs, { polls: 5, overdue: 0 }, T0 + 10_149, timing)).toBe(1);
    expect(nextPollDelay(obs, { polls: 5, overdue: 0 }, T0 + 10_150, timing)).toBe(250);
    expect(nextPollDelay(obs, { polls: 5, overdue: 3 }, T0 + 20_000, timing)).toBe(2_000);
    expect(nextPollDelay(obs, { polls: 5, overdue: 12 }, T0 + 20_000, timing)).toBe(15_000);
  });
});

describe("ObservationLog", () => {
  test("groups repeats, formats times and errors", () => {
    const log = new ObservationLog(T0);
    expect(log.summary(T0)).toBe("0 poll(s) over 0s: no answer");
    expect(log.record("queued", T0 + 1_000)).toBe(true);
    expect(log.record("queued", T0 + 2_000)).toBe(false);
    log.recordError("timeout");
    expect(log.record("running", T0 + 95_000)).toBe(true);
    expect(log.polls).toBe(4);
    expect(log.summary(T0 + 3_700_000)).toBe("4 poll(s) over 1h01m: queued (at 1s, ×2) → running (at 1m35s); 1 poll error(s), last: timeout");
  });
});
