import type { DynamicHost, Props } from "../tests/harness/dynamicHost";
import type { BenchStack } from "./stack";

// What the benchmarks need from one cloud. Adding a cloud = one more adapter file and one more
// entry in `benchClouds` (bench/run.ts); every benchmark then reports a row for it.

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface BenchEmulatorOptions {
  /** Emulated seconds per real second. */
  timeScale: number;
  /** Emulated duration of a VM create. */
  provisioningSeconds: number;
  /** Real-time window (never scaled); null = no limit. */
  rateLimit: RateLimit | null;
}

export interface BenchEmulator {
  url: string;
  close(): Promise<void>;
  /** Non-admin requests answered so far. */
  requestCount(): number;
  /** 429 answers sent so far. */
  count429(): number;
  /** `METHOD /route` -> requests so far. */
  byRoute(): Record<string, number>;
  /** Replaces the limit and forgets every window. */
  setRateLimit(limit: RateLimit | null): void;
  /** Wall ms at which the cloud finished provisioning this VM (job or instance completion); null if it has not. */
  completedAt(vmId: string): number | null;
}

/** A naive client of the cloud's API, the baseline every figure is compared with. */
export interface NaiveClient {
  /** Creates one VM and waits for it the naive way; never throws. */
  create(name: string, run: NaiveRunOptions): Promise<NaiveCreateResult>;
}

export interface NaiveRunOptions {
  /** Every delay of the naive schedule is divided by this (1 = real seconds). */
  scheduleScale: number;
  /** Wall ms after which the naive client gives up. */
  deadlineAt: number;
}

export interface NaiveCreateResult {
  ok: boolean;
  vmId?: string;
  error?: string;
  /** Wall ms the status poll that first saw the VM ready was due on the naive client's (scaled) timeline. */
  readyPollDueAt?: number;
  /** Wall ms the create (incl. the final read) returned. */
  returnedAt: number;
  requests: number;
  got429: number;
}

export interface BenchCloud {
  /** Config namespace and table label, e.g. "gpcn". */
  name: string;
  apiKey: string;
  /** Environment prefix of the cloud's variables (GPCN → GPCN_API_KEY), blanked in the host. */
  envPrefix: string;
  /** Shim type of the GPU VM, e.g. "gpcn:GpuVm". */
  vmType: string;
  /** Program resource name of each shim type whose `__provider` size is reported, e.g. {"gpcn:GpuVm": "vm"}. */
  resourceNames: Record<string, string>;
  /** A user's program (requiring "pulumi-gpucloud") declaring one resource of each of those types. */
  program: string;
  /** Files of the installed copy (under node_modules/pulumi-gpucloud) holding the implementation. */
  implementationFiles: string[];
  /** What the baseline is, for the notes. */
  naiveDescription: string;
  startEmulator(options: BenchEmulatorOptions): Promise<BenchEmulator>;
  /** Stack config the engine would send: key, endpoint and the client's request budget (100 / min). */
  config(emulator: BenchEmulator): Record<string, string>;
  /** Creates through `host` what a VM needs (e.g. an SSH key); returns the checked-ready inputs of a VM named `name`. */
  prepareVms(stack: BenchStack, host: DynamicHost): Promise<(name: string) => Props>;
  /** VM inputs that pass check without anything existing (preview of an existing stack). */
  previewVmInputs(stack: BenchStack, name: string): Props;
  /**
   * The cloud reports no completion estimate, so the provider schedules its polls in real time
   * from provisioning times it observed (provider/core/provisioningTimes.ts) or a backoff. Against
   * a time-scaled emulator that schedule would poll a 3-minute job 60× too slowly (and look better
   * than it is): in the lag benchmark the provider's waits are then run in emulated time too
   * (bench/timeWarp.ts).
   */
  pollsWithoutEstimate?: boolean;
  /** Path of the machine listing the provider polls many machines with (a list read serves all of them). */
  statusListPath?: string;
  /** How this cloud's emulator is set up for the benchmarks, for the notes. */
  setupNote?: string;
  /**
   * What each route of a fleet is, by kind (create, follow-up per machine, status, list), with
   * the documentation that makes a per-machine request necessary. Routes as the emulator counts them.
   */
  requestKinds?: Record<string, string>;
  /** The route of the one request per machine beyond its create that the cloud's documentation forces. */
  perMachineFollowUp?: string;
  /** Why the cloud has no diagnostic fleet variant (a row saying so). */
  noFleetVariantBecause?: string;
  /** Extra runs of our fleet with rewritten VM inputs, to show what a figure depends on. */
  fleetVariants?: { label: string; vmInputs(inputs: Record<string, any>): Record<string, any> }[];
  /** Prepares the naive client against `emulator` (e.g. uploads a key; not counted). */
  naive(emulator: BenchEmulator): Promise<NaiveClient>;
}

/** What every emulator offers the bench the same way; a cloud adds only `completedAt`. */
export function benchEmulatorBase(emu: {
  url: string;
  close(): Promise<void>;
  stats(): { requests: number; rateLimited429: number; byRoute: Record<string, number> };
  setRateLimit(limit: RateLimit | null): void;
}): Omit<BenchEmulator, "completedAt"> {
  return {
    url: emu.url,
    close: () => emu.close(),
    requestCount: () => emu.stats().requests,
    count429: () => emu.stats().rateLimited429,
    byRoute: () => emu.stats().byRoute,
    setRateLimit: (limit) => emu.setRateLimit(limit),
  };
}
