/** Public types of the Novita emulator. */

import type { CloudEmulatorBase, CommonEmulatorOptions } from "../core/cloudEmulator";
import type { RequestStats } from "../core/requestLog";
import type { NovitaFaultKnobs } from "./faultKnobs";
import type { PortSpec, serializeInstance } from "./instanceRecord";
import type { NovitaCounters } from "./state";

export type NovitaInstanceView = ReturnType<typeof serializeInstance>;

/**
 * Default API key "novita_test_key"; no rate limit by default (Novita publishes none); a seed
 * makes instance ids and passwords reproducible.
 */
export interface NovitaEmulatorOptions extends CommonEmulatorOptions {
  /** Emulated seconds an instance spends pulling its image (default 60). */
  provisioningSeconds?: number;
  /** Emulated seconds of `resetting` after an upgrade (default 30). */
  resetSeconds?: number;
  /** Emulated seconds of `removing` (default 10). */
  deletionSeconds?: number;
  /** Emulated seconds a removed instance still shows `removed` before ids answer not-found (default 60). */
  removedVisibleSeconds?: number;
  /** Unknown instance ids: 400 RESOURCE_NOT_FOUND as documented (default) or 404 as live clients saw. */
  missingInstanceStatus?: 400 | 404;
  /** Instances each product can hold (default 1000). */
  stockPerProduct?: number;
}

export interface NovitaStats extends RequestStats, NovitaCounters {}

/** `url` includes `/gpu-instance/openapi/v1`; `adminUrl` is the origin, for the `/_admin/*` routes. */
export interface NovitaEmulator extends CloudEmulatorBase<NovitaFaultKnobs, NovitaCounters> {
  setMissingInstanceStatus(status: 400 | 404): void;
  /** Instances as GET /gpu/instance shows them (removed ones while still visible). */
  instances(): NovitaInstanceView[];
  /** Novita takes a spot instance's GPU back: it ends `exited` with a spotReclaimTime. False if unknown or not spot. */
  reclaimSpot(id: string): boolean;
  /** Removes an instance at once, as if deleted in the console. */
  deleteOutOfBand(id: string): boolean;
  /** Gives an instance another name behind the client's back (the API has no rename; a console might). */
  renameOutOfBand(id: string, name: string): boolean;
  /** Changes exposed ports behind the client's back. */
  setPortsOutOfBand(id: string, ports: PortSpec[]): boolean;
}
