import { formatDuration, systemClock } from "../../provider/core/clock";
import { track } from "./helpers";

describe("systemClock", () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  test("now follows (fake) time and sleep resolves after exactly ms", async () => {
    expect(systemClock.now()).toBe(1_000_000);
    const t = track(systemClock.sleep(500));
    await jest.advanceTimersByTimeAsync(499);
    expect(t.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(t.result).toEqual({ ok: true, value: undefined });
    expect(systemClock.now()).toBe(1_000_500);
  });

  test("a negative sleep resolves at once", async () => {
    const t = track(systemClock.sleep(-50));
    await jest.advanceTimersByTimeAsync(0);
    expect(t.done).toBe(true);
  });

  test("abort rejects with the signal's Error reason and cancels the timer", async () => {
    const ac = new AbortController();
    const t = track(systemClock.sleep(10_000, ac.signal));
    await jest.advanceTimersByTimeAsync(100);
    const reason = new Error("stop");
    ac.abort(reason);
    await jest.advanceTimersByTimeAsync(0);
    expect(t.result).toEqual({ ok: false, error: reason });
    expect(jest.getTimerCount()).toBe(0);
  });

  test("an already aborted signal rejects before sleeping; a non-Error reason becomes Error('aborted')", async () => {
    const ac = new AbortController();
    ac.abort("just because");
    const t = track(systemClock.sleep(10_000, ac.signal));
    await jest.advanceTimersByTimeAsync(0);
    expect(t.result?.ok).toBe(false);
    expect((t.result as { error: Error }).error.message).toBe("aborted");
    expect(jest.getTimerCount()).toBe(0);
  });

  test("a completed sleep stops listening to the signal", async () => {
    const ac = new AbortController();
    const remove = jest.spyOn(ac.signal, "removeEventListener");
    const t = track(systemClock.sleep(10, ac.signal));
    await jest.advanceTimersByTimeAsync(10);
    expect(t.result?.ok).toBe(true);
    expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
  });
});

describe("formatDuration", () => {
  test.each([
    [0, "0s"],
    [-5_000, "0s"],
    [499, "0s"],
    [500, "1s"],
    [59_000, "59s"],
    [60_000, "1m00s"],
    [95_000, "1m35s"],
    [840_000, "14m00s"],
    [3_599_000, "59m59s"],
    [3_600_000, "1h00m"],
    [3_700_000, "1h01m"],
    [26 * 3_600_000, "26h00m"],
  ])("%i ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
