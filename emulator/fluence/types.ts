/** Public types of the Fluence emulator. */

import type { CloudEmulatorBase, CommonEmulatorOptions } from "../core/cloudEmulator";
import type { RequestStats } from "../core/requestLog";
import type { FluenceFaultKnobs } from "./faultKnobs";
import type { FluenceInstance } from "./instanceRecord";
import type { FluenceSshKey } from "./sshKeyRecord";
import type { DuplicateKeyAnswer, FluenceCounters } from "./state";

/**
 * Default API key "fluence_test_key"; no rate limit by default (Fluence publishes none); a seed
 * makes instance and key ids reproducible.
 */
export interface FluenceEmulatorOptions extends CommonEmulatorOptions {
  /** Emulated INITIALIZED → ACTIVE time (default 150: "typically 2–3 minutes"). */
  provisioningSeconds?: number;
  /** Starting account balance in USDC (default 1000). */
  balance?: number;
}

export interface FluenceStats extends RequestStats, FluenceCounters {}

/** `url` is the API host (paths start with /gpu/ and /v1/), e.g. `http://127.0.0.1:12345`. */
export interface FluenceEmulator extends CloudEmulatorBase<FluenceFaultKnobs, FluenceCounters> {
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
}
