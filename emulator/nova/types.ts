/** Public types of the Nova emulator. */

import type { CloudEmulatorBase, CommonEmulatorOptions } from "../core/cloudEmulator";
import type { RequestStats } from "../core/requestLog";
import type { NovaFaultKnobs } from "./faultKnobs";
import type { NovaAccount, NovaCounters } from "./state";
import type { NovaVm } from "./vmRecord";

/** Routes the docs do not list (nova.md §4); each can be switched off to play a Nova without it. */
export type NovaOptionalRoute = "GET /vms" | "PATCH /vms/:id" | "DELETE /vms/:id" | "POST /vms/:id/:action" | "GET /ssh-keys" | "DELETE /ssh-keys/:id";

/**
 * Accepted bearer tokens default to ["nv_test_emulator_key"]; Nova publishes no rate limit, the
 * default is {limit: 60, windowMs: 60000} per key.
 */
export interface NovaEmulatorOptions extends CommonEmulatorOptions {
  /** creating -> starting -> running, emulated seconds (default 90). */
  provisioningSeconds?: number;
  /** starting -> running after start/restart (default 20). */
  startSeconds?: number;
  /** stopping -> stopped (default 10). */
  stopSeconds?: number;
  /** stopping -> destroyed after DELETE (default 15). */
  destroySeconds?: number;
  /** Balance and quotas; defaults are the documented /auth/me example: standard tier, 3 VMs, $8/h, and $100. */
  account?: Partial<NovaAccount>;
  /** Destroyed VMs stay readable with status `destroyed` (default true); false = 404 once destroyed. */
  keepDestroyedVms?: boolean;
  /** Inferred routes this Nova does not have: they answer FastAPI's 404 `{"detail":"Not Found"}`. */
  unsupportedRoutes?: NovaOptionalRoute[];
}

export interface NovaStats extends RequestStats, NovaCounters {}

/** Nova has no version prefix: `url` and `adminUrl` are the same origin, e.g. `http://127.0.0.1:12345`. */
export interface NovaEmulator extends CloudEmulatorBase<NovaFaultKnobs, NovaCounters> {
  /** VMs that exist (not destroyed), as GET /vms/{id} shows them. */
  vms(): NovaVm[];
  sshKeys(): { id: string; label: string; key_type: string; fingerprint: string; created_at: string }[];
  account(): NovaAccount;
  setAccount(patch: Partial<NovaAccount>): void;
  /** Preempts a VM (-> interrupted; back to starting/running if auto_restart). False if unknown. */
  interruptVm(id: string): boolean;
  /** Its host goes down (-> offline) or comes back (-> running). False if unknown. */
  setVmOffline(id: string, offline: boolean): boolean;
  /** Destroys a VM at once, as if in the console. False if unknown. */
  destroyVmOutOfBand(id: string): boolean;
  /** Changes a VM's instance_label behind the client's back. False if unknown. */
  relabelVmOutOfBand(id: string, label: string | null): boolean;
}
