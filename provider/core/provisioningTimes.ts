import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// When a cloud gives no completion estimate (Nova, Novita, Fluence), the waiter schedules its
// polls from what is known of machines of the same kind: ones seen finishing earlier in this
// process, then a small per-user cache of observed provisioning times, then the cloud's documented
// typical time. The cache lives outside the Pulumi state (~/.cache/pulumi-gpucloud/
// provisioning-times.json by default), is safe to delete, and is never required: without it the
// waiter falls back to its backoff. Nothing in it is secret (cloud, a hash of the endpoint,
// machine kind, durations).

/** What one finished wait showed: ready somewhere after `loMs` (its last poll still not ready) and by `hiMs`. */
export interface ProvisioningSample {
  loMs: number;
  hiMs: number;
}

/** Where completion is likely, in ms after the create returned. */
export interface CompletionWindow {
  loMs: number;
  hiMs: number;
  /** Where it comes from, for the progress log and tests. */
  source: string;
  /** Seen on machines of this kind (here or in the cache), not only documented. */
  observed: boolean;
}

const KEEP = 5; // recent samples per kind: adapts when a cloud gets slower or faster
const MAX_KEYS = 200;

export function defaultCacheFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.GPUCLOUD_CACHE_DIR;
  if (dir === "off") return undefined;
  if (dir) return path.join(dir, "provisioning-times.json");
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), ".cache") : undefined);
  return base ? path.join(base, "pulumi-gpucloud", "provisioning-times.json") : undefined;
}

/**
 * Where recent samples put completion. Each says "after loMs, by hiMs"; a narrow one (its waiter
 * polled densely around completion) says more than a wide one (polled sparsely, or a cold start),
 * so only the narrowest three count: while they agree (machines of this kind take alike), their
 * intersection, which narrows with every machine seen; once they disagree (the times vary), the
 * median lower bound to the median upper bound, so one outlier (a machine much faster or slower
 * than the others) is ignored instead of opening the window at its time. With two disagreeing
 * samples there is no majority: their span. A wide sample never widens the window by itself, so
 * one sparse wait cannot make the next ones sparse too. A machine that does finish outside the
 * window is still found: before it, by the early polls; after it, by the overdue backoff
 * (delayFromWindow), and its sample then counts for the next ones.
 */
export function windowOf(samples: ProvisioningSample[], source: string): CompletionWindow | undefined {
  if (!samples.length) return undefined;
  const best = [...samples].sort((a, b) => a.hiMs - a.loMs - (b.hiMs - b.loMs)).slice(0, 3);
  const los = best.map((s) => s.loMs).sort((a, b) => a - b);
  const his = best.map((s) => s.hiMs).sort((a, b) => a - b);
  const n = best.length;
  // The k-th smallest lower bound is never above the k-th smallest upper bound (each sample's lo ≤
  // its hi), so the median bounds always make a window (for 2 samples: lower median lo, upper median hi).
  const [lo, hi] = los[n - 1] < his[0] ? [los[n - 1], his[0]] : [los[Math.floor((n - 1) / 2)], his[Math.ceil((n - 1) / 2)]];
  return { loMs: lo, hiMs: hi, source, observed: true };
}

export class ProvisioningTimes {
  /** Seen in this process: preferred to the file, which other processes may have written. */
  private readonly seen = new Map<string, ProvisioningSample[]>();
  private fileData: Record<string, ProvisioningSample[]> | undefined;

  /** `file` null: no cache file (this process's samples only). */
  constructor(private readonly file: string | null = defaultCacheFile() ?? null) {}

  static key(cloud: string, endpoint: string, kind: string): string {
    // The endpoint tells a real API from an emulator (whose machines finish in seconds); hashed so
    // the file holds no URLs.
    return `${cloud}|${createHash("sha256").update(endpoint).digest("hex").slice(0, 12)}|${kind}`;
  }

  window(key: string, documented?: ProvisioningSample): CompletionWindow | undefined {
    return (
      windowOf(this.seen.get(key) ?? [], "machines of this kind seen finishing earlier in this run") ??
      windowOf(this.readFile()[key] ?? [], "provisioning times observed before (cache)") ??
      (documented ? { ...documented, source: "the cloud's documented typical time", observed: false } : undefined)
    );
  }

  record(key: string, sample: ProvisioningSample): void {
    if (!(sample.hiMs > 0) || !(sample.loMs >= 0) || sample.loMs > sample.hiMs) return;
    const s = { loMs: Math.round(sample.loMs), hiMs: Math.round(sample.hiMs) };
    this.seen.set(key, [...(this.seen.get(key) ?? []), s].slice(-KEEP));
    this.writeFile(key, s);
  }

  private readFile(): Record<string, ProvisioningSample[]> {
    if (this.fileData) return this.fileData;
    this.fileData = {};
    if (!this.file) return this.fileData;
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, "utf8"));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
          if (!Array.isArray(v)) continue;
          const ok = v.filter((s): s is ProvisioningSample => !!s && typeof s.loMs === "number" && typeof s.hiMs === "number" && s.loMs >= 0 && s.loMs <= s.hiMs);
          if (ok.length) this.fileData[k] = ok.slice(-KEEP);
        }
      }
    } catch {
      // Missing, unreadable or corrupt: the cache is an optimisation only.
    }
    return this.fileData;
  }

  private writeFile(key: string, sample: ProvisioningSample): void {
    if (!this.file) return;
    try {
      // Re-read so samples other processes wrote meanwhile are kept (last writer wins per key).
      this.fileData = undefined;
      const data = this.readFile();
      data[key] = [...(data[key] ?? []), sample].slice(-KEEP);
      const keys = Object.keys(data);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_KEYS))) delete data[k];
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file);
    } catch {
      // A read-only home or a full disk must not fail a deployment.
    }
  }
}

export interface Forecast {
  /** ProvisioningTimes.key(cloud, endpoint, machine kind). */
  key: string;
  /** When the create returned (clock ms): provisioning times are counted from here. */
  since: number;
  /** The cloud's documented typical time, used when none was observed. */
  documented?: ProvisioningSample;
  /** Tests; the process-wide store otherwise. */
  store?: ProvisioningTimes;
}

/** A create's forecast: `kind` names machines expected to take alike (e.g. product and GPU count). */
export function createForecast(cloud: string, endpoint: string, kind: string, since: number, documented?: ProvisioningSample): Forecast {
  return { key: ProvisioningTimes.key(cloud, endpoint, kind), since, ...(documented ? { documented } : {}) };
}

let shared: ProvisioningTimes | undefined;

/** The process-wide store (the file path is read from the environment at first use). */
export function provisioningTimes(): ProvisioningTimes {
  return (shared ??= new ProvisioningTimes());
}

/** Tests: forget what this process saw and read the environment again. */
export function resetProvisioningTimes(store?: ProvisioningTimes): void {
  shared = store;
}

const MIN_STEP_MS = 500;
const MAX_STEP_MS = 10_000;
/** Polls spread over an observed window (4 keeps a create near 10 requests), and over a documented one. */
const STEPS_PER_WINDOW = 4;
const STEPS_PER_DOCUMENTED_WINDOW = 8;
/** Before the window: one early look (a failure, an intermediate state), then at most this apart. */
const MAX_EARLY_GAP_MS = 90_000;

/**
 * Delay to the next poll, `elapsedMs` after the create returned, given where completion is likely.
 * Before the window: a first poll after `minDelayMs` (a create refused or failing at once shows
 * there), then at most 90 s apart, landing on the window's start; before a window known only
 * from the documentation, backing off from `minDelayMs` instead (this machine may be faster than
 * the documented typical one: an emulator's, or a small one). In it: evenly spaced polls,
 * STEPS_PER_WINDOW over its width (8 over a documented one), at least 0.5 s apart (a window from one earlier machine is
 * its last "not yet" poll to its first "ready" one, so the next machine of that kind is seen ready
 * within a step of finishing). Past it: the machine is late; look again after half the delay so far
 * (from 1 s, at most 10 s), so a slow machine is not polled every step.
 */
export function delayFromWindow(w: CompletionWindow, elapsedMs: number, polls: number, minDelayMs: number): number {
  const step = Math.min(MAX_STEP_MS, Math.max(MIN_STEP_MS, (w.hiMs - w.loMs) / (w.observed ? STEPS_PER_WINDOW : STEPS_PER_DOCUMENTED_WINDOW)));
  if (elapsedMs < w.loMs) {
    if (polls === 0) return Math.min(minDelayMs, w.loMs - elapsedMs);
    return Math.min(w.observed ? MAX_EARLY_GAP_MS : minDelayMs * 2 ** polls, MAX_EARLY_GAP_MS, w.loMs - elapsedMs);
  }
  if (elapsedMs < w.hiMs) return Math.min(step, w.hiMs - elapsedMs);
  return Math.min(MAX_STEP_MS, Math.max(1000, (elapsedMs - w.hiMs) / 2));
}
