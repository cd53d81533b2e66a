import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultCacheFile, delayFromWindow, ProvisioningTimes, windowOf } from "../../provider/core/provisioningTimes";
import { PollOutcome, waitUntil } from "../../provider/core/waiter";
import { track } from "./helpers";

const T0 = Date.parse("2026-05-19T14:00:00Z");
const KEY = ProvisioningTimes.key("nova", "https://api.example", "4090x1|on_demand");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpucloud-ptimes-"));
});
afterEach(() => {
  jest.useRealTimers();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("delayFromWindow", () => {
  const observed = { loMs: 179_000, hiMs: 180_000, source: "test", observed: true };

  test("before an observed window: one early look, then at most 90 s apart, landing on its start", () => {
    const at: number[] = [];
    let t = 0;
    for (let polls = 0; t < observed.loMs; polls++) at.push((t += delayFromWindow(observed, t, polls, 1000)));
    expect(at).toEqual([1000, 91_000, 179_000]);
  });

  test("inside a narrow window: 0.5 s steps up to its end; past it, half the overdue time from 1 s, at most 10 s", () => {
    expect(delayFromWindow(observed, 179_000, 4, 1000)).toBe(500);
    expect(delayFromWindow(observed, 179_500, 5, 1000)).toBe(500);
    expect(delayFromWindow(observed, 180_000, 6, 1000)).toBe(1000);
    expect(delayFromWindow(observed, 184_000, 7, 1000)).toBe(2000);
    expect(delayFromWindow(observed, 400_000, 8, 1000)).toBe(10_000);
  });

  test("a wide window is covered in about 8 steps; before a documented-only window it backs off from 1 s", () => {
    const documented = { loMs: 120_000, hiMs: 180_000, source: "doc", observed: false };
    expect(delayFromWindow(documented, 130_000, 9, 1000)).toBe(7500);
    const at: number[] = [];
    let t = 0;
    for (let polls = 0; t < documented.loMs; polls++) at.push((t += delayFromWindow(documented, t, polls, 1000)));
    expect(at).toEqual([1000, 3000, 7000, 15_000, 31_000, 63_000, 120_000]);
  });
});

describe("ProvisioningTimes", () => {
  test("prefers this run's samples, then the cache file, then the documented time; agreeing samples narrow the window", () => {
    const file = path.join(dir, "provisioning-times.json");
    const documented = { loMs: 120_000, hiMs: 180_000 };
    expect(new ProvisioningTimes(file).window(KEY, documented)).toEqual({ ...documented, source: "the cloud's documented typical time", observed: false });

    const first = new ProvisioningTimes(file);
    first.record(KEY, { loMs: 170_000, hiMs: 178_000 });
    first.record(KEY, { loMs: 177_000, hiMs: 179_000 });
    expect(first.window(KEY)).toMatchObject({ loMs: 177_000, hiMs: 178_000, observed: true, source: expect.stringMatching(/earlier in this run/) });
    // Samples that disagree (the times vary): the median bounds, the outlier at 150–160 s ignored.
    first.record(KEY, { loMs: 150_000, hiMs: 160_000 });
    expect(first.window(KEY)).toMatchObject({ loMs: 170_000, hiMs: 178_000 });

    // Another process (a later `pulumi up`) reads the file.
    expect(new ProvisioningTimes(file).window(KEY, documented)).toMatchObject({ loMs: 170_000, hiMs: 178_000, source: expect.stringMatching(/cache/) });
    expect(JSON.stringify(JSON.parse(fs.readFileSync(file, "utf8")))).not.toContain("api.example");
  });

  test("keeps the 5 most recent samples, so a cloud that got faster narrows the window", () => {
    const store = new ProvisioningTimes(null);
    store.record(KEY, { loMs: 100_000, hiMs: 300_000 });
    for (let i = 0; i < 5; i++) store.record(KEY, { loMs: 179_000, hiMs: 180_000 });
    expect(store.window(KEY)).toMatchObject({ loMs: 179_000, hiMs: 180_000 });
  });

  test("a corrupt or unwritable cache is ignored, never an error", () => {
    const file = path.join(dir, "provisioning-times.json");
    fs.writeFileSync(file, "{not json");
    const store = new ProvisioningTimes(file);
    expect(store.window(KEY)).toBeUndefined();
    store.record(KEY, { loMs: 1000, hiMs: 2000 });
    expect(store.window(KEY)).toMatchObject({ loMs: 1000, hiMs: 2000 });
    const blocked = new ProvisioningTimes(path.join(file, "under-a-file", "x.json"));
    expect(() => blocked.record(KEY, { loMs: 1000, hiMs: 2000 })).not.toThrow();
    expect(windowOf([], "none")).toBeUndefined();
  });

  test("the cache path: GPUCLOUD_CACHE_DIR, `off`, or XDG_CACHE_HOME/pulumi-gpucloud", () => {
    expect(defaultCacheFile({ GPUCLOUD_CACHE_DIR: "/c" })).toBe(path.join("/c", "provisioning-times.json"));
    expect(defaultCacheFile({ GPUCLOUD_CACHE_DIR: "off" })).toBeUndefined();
    expect(defaultCacheFile({ XDG_CACHE_HOME: "/x" })).toBe(path.join("/x", "pulumi-gpucloud", "provisioning-times.json"));
  });
});

describe("waitUntil with a forecast (fake clock, no sleeps)", () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));

  /** A machine that is ready `readyAt` ms after T0; records the fake time of each poll. */
  function machine(readyAt: number) {
    const at: number[] = [];
    const poll = async (): Promise<PollOutcome<string>> => {
      at.push(Date.now() - T0);
      return Date.now() - T0 >= readyAt ? { state: "success", label: "running", value: "vm" } : { state: "retry", label: "creating", value: "vm" };
    };
    return { poll, at };
  }

  async function run(store: ProvisioningTimes, readyAt: number, documented?: { loMs: number; hiMs: number }) {
    const m = machine(readyAt);
    const t = track(waitUntil({ what: "VM", deadlineAt: T0 + 1_200_000, minDelayMs: 1000, maxDelayMs: 10_000, poll: m.poll, forecast: { key: KEY, since: Date.now(), store, documented } }));
    await jest.advanceTimersByTimeAsync(600_000);
    expect(t.result?.ok).toBe(true);
    jest.setSystemTime(T0);
    return m.at;
  }

  test("machines of the same kind: seen ready within 2.5 s of finishing in 6 polls, then within 0.5 s in 4 (cold: 21)", async () => {
    const store = new ProvisioningTimes(null);
    const cold = await run(store, 180_300);
    expect(cold).toHaveLength(21); // backoff 1 s doubling to the 10 s cap: what the clouds without an estimate did before
    expect(store.window(KEY)).toMatchObject({ loMs: 175_000, hiMs: 185_000 });
    const warm = await run(store, 180_300);
    expect(warm).toEqual([1000, 91_000, 175_000, 177_500, 180_000, 182_500]);
    const third = await run(store, 180_300);
    expect(third).toEqual([1000, 91_000, 180_000, 180_625]);
  });

  test("a machine slower than every one seen before is still found, polled at most 10 s apart", async () => {
    const store = new ProvisioningTimes(null);
    store.record(KEY, { loMs: 59_000, hiMs: 60_000 });
    const at = await run(store, 200_000);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
    expect(gaps.slice(-3).every((g) => g <= 10_000)).toBe(true);
    expect(at[at.length - 1] - 200_000).toBeLessThanOrEqual(10_000);
    // The slow one widens the window for the next.
    expect(store.window(KEY)!.hiMs).toBe(at[at.length - 1]);
  });

  test("a documented 2–3 minute window: a machine ready at 150 s is seen within 7.5 s in 11 polls", async () => {
    const store = new ProvisioningTimes(null);
    const at = await run(store, 150_000, { loMs: 120_000, hiMs: 180_000 });
    expect(at).toEqual([1000, 3000, 7000, 15_000, 31_000, 63_000, 120_000, 127_500, 135_000, 142_500, 150_000]);
  });

  test("a wait whose first poll already saw it ready records nothing (no lower bound)", async () => {
    const store = new ProvisioningTimes(null);
    await run(store, 0);
    expect(store.window(KEY)).toBeUndefined();
  });
});

describe("windowOf", () => {
  test("a wide sample (a sparse or cold wait) does not widen the window of narrow ones", () => {
    const narrow = [
      { loMs: 179_000, hiMs: 180_500 },
      { loMs: 179_500, hiMs: 181_000 },
      { loMs: 178_800, hiMs: 180_200 },
    ];
    expect(windowOf([{ loMs: 91_000, hiMs: 200_000 }, ...narrow], "t")).toMatchObject({ loMs: 179_500, hiMs: 180_200 });
  });

  test("disagreeing samples: one outlier is ignored, the window stays narrow (was their span, opened at the outlier)", () => {
    // What the bench's Novita lone create met: two machines seen ready at about 180 s and one at 92 s.
    const samples = [
      { loMs: 179_000, hiMs: 180_000 },
      { loMs: 91_500, hiMs: 92_500 },
      { loMs: 179_400, hiMs: 180_300 },
    ];
    expect(windowOf(samples, "t")).toMatchObject({ loMs: 179_000, hiMs: 180_000 });
    // So the next create polls once early, once 90 s later and then at the window: not from 92 s on.
    const w = windowOf(samples, "t")!;
    const at: number[] = [];
    let t = 0;
    for (let polls = 0; t < 181_000; polls++) at.push((t += delayFromWindow(w, t, polls, 1000)));
    expect(at).toEqual([1000, 91_000, 179_000, 179_500, 180_000, 181_000]);
    // Two that disagree have no majority: their span.
    expect(windowOf(samples.slice(0, 2), "t")).toMatchObject({ loMs: 91_500, hiMs: 180_000 });
  });
});
