/** Public types of the GPCN emulator. */

import type { Clock } from "../core/clock";
import type { FaultStore } from "../core/faults";
import type { RateLimitConfig } from "../core/rateLimiter";
import type { RequestLogEntry, RequestStats } from "../core/requestLog";
import type { GpcnFaultKnobs } from "./faultKnobs";
import type { GpcnJob, JobTimeline } from "./jobs";
import type { GpcnSshKey } from "./sshKeyRecord";
import type { GpcnCounters } from "./state";
import type { GpcnVm } from "./vmRecord";

export interface GpcnEmulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Accepted API keys (default ["gpcn_test_key"]). */
  apiKeys?: string[];
  /** Emulated seconds per real second (default 1). */
  timeScale?: number;
  /** Emulated duration of a create job (default 180). */
  provisioningSeconds?: number;
  /** Emulated duration of a delete job (default 20). */
  deletionSeconds?: number;
  /** Emulated Stopping → Stopped of a single-VM stop (default 15). */
  stopSeconds?: number;
  /** Emulated Starting → Running of a single-VM start (default 30). */
  startSeconds?: number;
  /** Per-API-key limit on real time (default {limit: 100, windowMs: 60000}); null disables. */
  rateLimit?: RateLimitConfig | null;
  /** Makes VM, job and SSH key ids reproducible. */
  seed?: string | number;
  /** VMs each SKU can hold per data center (default 1000). */
  stockPerOffer?: number;
  /** One line per request. */
  logger?: (line: string) => void;
  /** Inject a clock (e.g. with a fake time source) instead of a real one; overrides timeScale. */
  clock?: Clock;
}

export interface GpcnStats extends RequestStats, GpcnCounters {}

export interface GpcnEmulator {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:12345/v1`. */
  url: string;
  /** Origin without `/v1`, for the `/_admin/*` routes. */
  adminUrl: string;
  port: number;
  apiKeys: string[];
  clock: Clock;
  faults: FaultStore<GpcnFaultKnobs>;
  close(): Promise<void>;
  setTimeScale(timeScale: number): void;
  setRateLimit(config: RateLimitConfig | null): void;
  /** Current VMs as GET /resource/gpu/:id shows them, including those still Deleting. */
  vms(): GpcnVm[];
  sshKeys(): GpcnSshKey[];
  /** All jobs as the jobs endpoint shows them (reading here does not count as a client poll). */
  jobs(): GpcnJob[];
  requests(): RequestLogEntry[];
  stats(): GpcnStats;
  /** Removes a VM at once, without a job, as if deleted in the console. False if unknown. */
  deleteVmOutOfBand(id: string): boolean;
  /** Renames a VM behind the client's back. False if unknown. */
  renameVmOutOfBand(id: string, name: string): boolean;
  jobTimeline(jobId: string): JobTimeline | undefined;
  /** Clears VMs, jobs, keys, stock use, faults, rate-limit windows and the request log. */
  reset(): void;
}
