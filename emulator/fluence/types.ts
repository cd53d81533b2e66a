/** Public types of the Fluence emulator. */

import type { EmulatedClock } from "../core/emulatedClock";
import type { FaultStore } from "../core/faults";
import type { RateLimitConfig } from "../core/serverRateWindow";
import type { RequestLogEntry, RequestStats } from "../core/requestLog";
import type { FluenceFaultKnobs } from "./faultKnobs";
import type { FluenceInstance } from "./instanceRecord";
import type { FluenceSshKey } from "./sshKeyRecord";
import type { DuplicateKeyAnswer, FluenceCounters } from "./state";

export interface FluenceEmulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  /** Accepted API keys (default ["fluence_test_key"]). */
  apiKeys?: string[];
  /** Emulated seconds per real second (default 1). */
  timeScale?: number;
  /** Emulated INITIALIZED → ACTIVE time (default 150: "typically 2–3 minutes"). */
  provisioningSeconds?: number;
  /** Starting account balance in USDC (default 1000). */
  balance?: number;
  /** Fluence publishes no limit: off by default. */
  rateLimit?: RateLimitConfig | null;
  /** Makes instance and key ids reproducible. */
  seed?: string | number;
  logger?: (line: string) => void;
  clock?: EmulatedClock;
}

export interface FluenceStats extends RequestStats, FluenceCounters {}

export interface FluenceEmulator {
  /** Base URL (the API host: paths start with /gpu/ and /v1/), e.g. `http://127.0.0.1:12345`. */
  url: string;
  adminUrl: string;
  port: number;
  apiKeys: string[];
  clock: EmulatedClock;
  faults: FaultStore<FluenceFaultKnobs>;
  close(): Promise<void>;
  setTimeScale(timeScale: number): void;
  setRateLimit(config: RateLimitConfig | null): void;
  /** Every instance (both kinds, terminal ones too) as GET …/{id} shows it. */
  instances(): FluenceInstance[];
  sshKeys(): FluenceSshKey[];
  balance(): number;
  setBalance(usdc: number): void;
  /** Ends provisioning of an INITIALIZED instance now (e.g. one held by stuckNextDeploys). False if unknown or not INITIALIZED. */
  activateInstance(id: string): boolean;
  /** Terminates an instance behind the client's back (console or unpaid balance). */
  endInstanceOutOfBand(id: string): boolean;
  renameInstanceOutOfBand(id: string, name: string): boolean;
  /** Withdraws an option from the plans (rented out elsewhere). */
  withdrawOption(optionId: string): boolean;
  /** How an upload of key material the library already holds is answered: 409 (default) or the legacy 200 with the existing key. */
  setDuplicateKeyAnswer(answer: DuplicateKeyAnswer): void;
  requests(): RequestLogEntry[];
  stats(): FluenceStats;
  reset(): void;
}
