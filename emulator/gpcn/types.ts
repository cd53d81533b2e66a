/** Public types of the GPCN emulator. */

import type { CloudEmulatorBase, CommonEmulatorOptions } from "../core/cloudEmulator";
import type { RequestStats } from "../core/requestLog";
import type { GpcnFaultKnobs } from "./faultKnobs";
import type { GpcnJob, JobTimeline } from "./jobs";
import type { GpcnSshKey } from "./sshKeyRecord";
import type { GpcnCounters } from "./state";
import type { GpcnVm } from "./vmRecord";

/**
 * Default API key "gpcn_test_key"; default rate limit {limit: 100, windowMs: 60000} per key
 * (documented); a seed makes VM, job and SSH key ids reproducible.
 */
export interface GpcnEmulatorOptions extends CommonEmulatorOptions {
  /** Emulated duration of a create job (default 180). */
  provisioningSeconds?: number;
  /** Emulated duration of a delete job (default 20). */
  deletionSeconds?: number;
  /** Emulated Stopping → Stopped of a single-VM stop (default 15). */
  stopSeconds?: number;
  /** Emulated Starting → Running of a single-VM start (default 30). */
  startSeconds?: number;
  /** VMs each SKU can hold per data center (default 1000). */
  stockPerOffer?: number;
}

export interface GpcnStats extends RequestStats, GpcnCounters {}

/** `url` includes `/v1` (e.g. `http://127.0.0.1:12345/v1`); `adminUrl` is the origin without it. */
export interface GpcnEmulator extends CloudEmulatorBase<GpcnFaultKnobs, GpcnCounters> {
  /** Current VMs as GET /resource/gpu/:id shows them, including those still Deleting. */
  vms(): GpcnVm[];
  sshKeys(): GpcnSshKey[];
  /** All jobs as the jobs endpoint shows them (reading here does not count as a client poll). */
  jobs(): GpcnJob[];
  /** Removes a VM at once, without a job, as if deleted in the console. False if unknown. */
  deleteVmOutOfBand(id: string): boolean;
  /** Renames a VM behind the client's back. False if unknown. */
  renameVmOutOfBand(id: string, name: string): boolean;
  jobTimeline(jobId: string): JobTimeline | undefined;
}
