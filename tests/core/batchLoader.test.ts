import { BatchLoader } from "../../provider/core/batchLoader";
import { track } from "./helpers";

const T0 = Date.parse("2026-05-19T14:00:00Z");

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** A loader whose `load` records each batch and its fake time, and answers `v:<key>` except for missing keys. */
function loader(opts: { maxBatch: number; windowMs: number; missing?: string[]; fail?: (keys: string[]) => Error | undefined }) {
  const batches: Array<{ keys: string[]; at: number }> = [];
  const bl = new BatchLoader<string, string>({
    maxBatch: opts.maxBatch,
    windowMs: opts.windowMs,
    load: async (keys) => {
      batches.push({ keys, at: Date.now() - T0 });
      const err = opts.fail?.(keys);
      if (err) throw err;
      return new Map(keys.filter((k) => !opts.missing?.includes(k)).map((k) => [k, `v:${k}`]));
    },
  });
  return { bl, batches };
}

test("look-ups within the window are coalesced into one batch, sent when the window ends", async () => {
  const { bl, batches } = loader({ maxBatch: 50, windowMs: 100 });
  const a = track(bl.load("a"));
  await jest.advanceTimersByTimeAsync(40);
  const b = track(bl.load("b"));
  await jest.advanceTimersByTimeAsync(40);
  const c = track(bl.load("c"));
  await jest.advanceTimersByTimeAsync(19);
  expect(batches).toEqual([]);
  await jest.advanceTimersByTimeAsync(1);
  expect(batches).toEqual([{ keys: ["a", "b", "c"], at: 100 }]);
  await Promise.all([a.promise, b.promise, c.promise]);
  expect([a.result, b.result, c.result]).toEqual([
    { ok: true, value: "v:a" },
    { ok: true, value: "v:b" },
    { ok: true, value: "v:c" },
  ]);
  expect(bl.batches).toBe(1);
});

test("the window starts with the first key and is not extended by later keys", async () => {
  const { bl, batches } = loader({ maxBatch: 50, windowMs: 100 });
  void bl.load("a");
  await jest.advanceTimersByTimeAsync(99);
  void bl.load("b");
  await jest.advanceTimersByTimeAsync(1);
  expect(batches).toEqual([{ keys: ["a", "b"], at: 100 }]);
});

test("the same key asked twice is loaded once and both callers get the value", async () => {
  const { bl, batches } = loader({ maxBatch: 50, windowMs: 10 });
  const p = Promise.all([bl.load("a"), bl.load("a"), bl.load("b")]);
  await jest.advanceTimersByTimeAsync(10);
  expect(await p).toEqual(["v:a", "v:a", "v:b"]);
  expect(batches).toEqual([{ keys: ["a", "b"], at: 10 }]);
});

test("a full batch is sent at once; 120 keys with maxBatch 50 make batches of 50, 50 and 20", async () => {
  const { bl, batches } = loader({ maxBatch: 50, windowMs: 100 });
  const keys = Array.from({ length: 120 }, (_, i) => `job-${i}`);
  const all = track(Promise.all(keys.map((k) => bl.load(k))));
  await jest.advanceTimersByTimeAsync(0);
  expect(batches.map((b) => [b.keys.length, b.at])).toEqual([
    [50, 0],
    [50, 0],
  ]);
  await jest.advanceTimersByTimeAsync(100);
  expect(batches.map((b) => [b.keys.length, b.at])).toEqual([
    [50, 0],
    [50, 0],
    [20, 100],
  ]);
  await all.promise;
  expect(all.result).toEqual({ ok: true, value: keys.map((k) => `v:${k}`) });
  expect(batches.flatMap((b) => b.keys)).toEqual(keys);
  expect(batches.every((b) => b.keys.length <= 50)).toBe(true);
});

test("a full batch cancels the pending timer: keys after it start a fresh window", async () => {
  const { bl, batches } = loader({ maxBatch: 2, windowMs: 100 });
  void bl.load("a");
  await jest.advanceTimersByTimeAsync(30);
  void bl.load("b"); // fills the batch at 30
  await jest.advanceTimersByTimeAsync(30);
  void bl.load("c"); // new window from 60
  await jest.advanceTimersByTimeAsync(99);
  expect(batches).toEqual([{ keys: ["a", "b"], at: 30 }]);
  await jest.advanceTimersByTimeAsync(1);
  expect(batches).toEqual([
    { keys: ["a", "b"], at: 30 },
    { keys: ["c"], at: 160 },
  ]);
});

test("a key the cloud did not return resolves to undefined", async () => {
  const { bl } = loader({ maxBatch: 50, windowMs: 10, missing: ["gone"] });
  const p = Promise.all([bl.load("here"), bl.load("gone")]);
  await jest.advanceTimersByTimeAsync(10);
  expect(await p).toEqual(["v:here", undefined]);
});

test("a failed batch rejects every caller in it, and only them", async () => {
  const boom = new Error("jobs endpoint down");
  const { bl } = loader({ maxBatch: 2, windowMs: 10, fail: (keys) => (keys.includes("a") ? boom : undefined) });
  const a = track(bl.load("a"));
  const a2 = track(bl.load("a"));
  const b = track(bl.load("b")); // fills the first batch [a, b]
  const c = track(bl.load("c"));
  await jest.advanceTimersByTimeAsync(10);
  await Promise.all([a.promise, a2.promise, b.promise, c.promise]);
  expect(a.result).toEqual({ ok: false, error: boom });
  expect(a2.result).toEqual({ ok: false, error: boom });
  expect(b.result).toEqual({ ok: false, error: boom });
  expect(c.result).toEqual({ ok: true, value: "v:c" });
});

test("after a batch is sent, the same key is loaded again (no stale cache)", async () => {
  const { bl, batches } = loader({ maxBatch: 50, windowMs: 10 });
  const first = bl.load("a");
  await jest.advanceTimersByTimeAsync(10);
  await first;
  const second = bl.load("a");
  await jest.advanceTimersByTimeAsync(10);
  await second;
  expect(batches.map((b) => b.keys)).toEqual([["a"], ["a"]]);
  expect(bl.batches).toBe(2);
});
