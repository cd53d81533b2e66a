/**
 * What the emulator matrix (tests/emulator/emulatorMatrix.test.ts) needs to know about one cloud:
 * how a key is sent and refused, its error bodies, and one machine's life on its wire. Every
 * cloud in emulator/clouds.ts has one adapter, named by the same key.
 */

import type { CloudEmulatorBase, CommonEmulatorOptions } from "../../../emulator/core/cloudEmulator";
import type { CoreFaultKnobs } from "../../../emulator/core/faults";
import type { RateLimitConfig } from "../../../emulator/core/serverRateWindow";
import { callUrl, type ApiResponse } from "../gpcnTestClient";

export type AnyEmulator = CloudEmulatorBase<CoreFaultKnobs, object>;

export type Wire = ApiResponse;

/** A request under the emulator's base URL; `key` null sends none, undefined the emulator's first key. */
export type Caller = (method: string, path: string, body?: unknown, key?: string | null) => Promise<Wire>;

export interface EmulatorAdapter<E extends AnyEmulator = AnyEmulator> {
  start(options: CommonEmulatorOptions): Promise<E>;
  defaultApiKey: string;
  /** Path the API lives under, after the origin ("" at the root). */
  apiPrefix: string;
  /** Headers that carry a key, one function per way the cloud accepts; the first is the one the matrix uses. */
  keyStyles: ((key: string) => Record<string, string>)[];
  /** A read that needs a key and answers 200 with one. */
  protectedRead: string;
  /** How the cloud refuses a missing key (`key: null`) or an unknown one. */
  refusals: { path: string; key: string | null; status: number; body: unknown }[];
  /** Reads anyone may make without a key. */
  publicReads: string[];
  /** The per-key limit a started emulator applies unless told otherwise (null = none). */
  defaultRateLimit: RateLimitConfig | null;
  /** The cloud's 429 body for a wait of `retryAfterSec`. */
  rateLimitedBody(retryAfterSec: number): unknown;
  /** The cloud's JSON body for an injected 503. */
  unavailableBody: unknown;
  machine: MachineAdapter<E>;
}

/** One GPU machine's life on the cloud's wire, timed on an injected clock. */
export interface MachineAdapter<E extends AnyEmulator> {
  /** Creates a machine called `name` (uploading whatever it needs first); resolves to the create call's answer. */
  create(emu: E, call: Caller, name: string): Promise<Wire>;
  /** False where the create call carries no name (Nova sets instance_label by PATCH): the machine's name is then null. */
  nameAtCreate: boolean;
  createdStatus: number;
  createdId(answer: Wire): string;
  /** The machine's status as a GET shows it, or "gone" when the cloud says it does not exist. */
  status(call: Caller, id: string): Promise<string>;
  /** Status right after create, then the status reached after `seconds` emulated seconds. */
  provisioning: string;
  ready: { seconds: number; status: string };
  delete(call: Caller, id: string): Promise<Wire>;
  deletedStatus: number;
  /** Status the machine ends in `seconds` after the delete. */
  deleted: { seconds: number; status: string };
  /** Arms the cloud's knob that makes a create happen but loses its answer: the next one, or the (skip + 1)-th. */
  loseNextCreate(emu: E, skip?: number): void;
  /** Names of the machines the emulator holds (null where unnamed). */
  names(emu: E): (string | null)[];
}

/** Lets an adapter use its cloud's own emulator type while the matrix handles them all alike. */
export function emulatorAdapter<E extends AnyEmulator>(adapter: EmulatorAdapter<E>): EmulatorAdapter {
  return adapter as unknown as EmulatorAdapter;
}

/** A Caller for `emu`, sending keys the adapter's first way. */
export function callerFor(emu: AnyEmulator, adapter: EmulatorAdapter): Caller {
  return (method, path, body, key) => {
    const sent = key === undefined ? emu.apiKeys[0] : key;
    return callUrl(`${emu.url}${path}`, method, { body, key: null, headers: sent === null ? {} : adapter.keyStyles[0](sent) });
  };
}
