/** Public types of the Novita emulator. */

import type { EmulatedClock } from "../core/emulatedClock";
import type { FaultStore } from "../core/faults";
import type { RateLimitConfig } from "../core/serverRateWindow";
import type { RequestLogEntry, RequestStats } from "../core/requestLog";
import type { NovitaFaultKnobs } from "./faultKnobs";
import type { PortSpec, serializeInstance } from "./instanceRecord";
import type { NovitaCounters } from "./state";

export type NovitaInstanceView = ReturnType<typeof serializeInstance>;

export interface NovitaEmulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  /** Accepted API keys (default ["novita_test_key"]). */
  apiKeys?: string[];
  /** Emulated seconds per real second (default 1). */
  timeScale?: number;
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
  /** Novita publishes no limit: none by default. */
  rateLimit?: RateLimitConfig | null;
  /** Makes instance ids and passwords reproducible. */
  seed?: string | number;
  /** Instances each product can hold (default 1000). */
  stockPerProduct?: number;
  logger?: (line: string) => void;
  /** Inject a clock instead of a real one; overrides timeScale. */
  clock?: EmulatedClock;
}

export interface NovitaStats extends RequestStats, NovitaCounters {}

export interface NovitaEmulator {
  /** Base URL including `/gpu-instance/openapi/v1`. */
  url: string;
  /** Origin, for the `/_admin/*` routes. */
  adminUrl: string;
  port: number;
  apiKeys: string[];
  clock: EmulatedClock;
  faults: FaultStore<NovitaFaultKnobs>;
  close(): Promise<void>;
  setTimeScale(timeScale: number): void;
  setRateLimit(config: RateLimitConfig | null): void;
  setMissingInstanceStatus(status: 400 | 404): void;
  /** Instances as GET /gpu/instance shows them (removed ones while still visible). */
  instances(): NovitaInstanceView[];
  requests(): RequestLogEntry[];
  stats(): NovitaStats;
  /** Novita takes a spot instance's GPU back: it ends `exited` with a spotReclaimTime. False if unknown or not spot. */
  reclaimSpot(id: string): boolean;
  /** Removes an instance at once, as if deleted in the console. */
  deleteOutOfBand(id: string): boolean;
  /** Gives an instance another name behind the client's back (the API has no rename; a console might). */
  renameOutOfBand(id: string, name: string): boolean;
  /** Changes exposed ports behind the client's back. */
  setPortsOutOfBand(id: string, ports: PortSpec[]): boolean;
  /** Clears instances, faults, rate-limit windows and the request log. */
  reset(): void;
}
