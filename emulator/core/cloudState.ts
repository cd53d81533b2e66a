/**
 * What every cloud's emulator state starts from: its clock, ids (reproducible with a seed), a
 * creation sequence and the IPs new machines get. Each cloud's state extends it with its records.
 */

import type { EmulatedClock } from "./emulatedClock";
import { ipFor } from "./emulatedIp";
import { createIdGenerator, type IdGenerator } from "./idGenerator";

export interface CloudStateConfig {
  clock: EmulatedClock;
  /** Makes ids reproducible: the same seed gives the same ids, again after a reset. */
  seed?: string | number;
}

export abstract class CloudState<C extends CloudStateConfig> {
  private ids: IdGenerator;
  private seq = 0;

  /** `idGenerator` makes the cloud's id shape (default: v4 UUIDs). */
  constructor(
    readonly config: C,
    private readonly idGenerator: (seed?: string | number) => IdGenerator = createIdGenerator,
  ) {
    this.ids = idGenerator(config.seed);
  }

  get clock(): EmulatedClock {
    return this.config.clock;
  }

  newId(): string {
    return this.ids();
  }

  /** 1, 2, 3, … in creation order; starts over on reset. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** IP for the n-th machine (1-based). */
  ipFor(n: number): string {
    return ipFor(n);
  }

  /** Ids and the sequence start over (same seed -> same ids again). Each cloud's reset() calls it. */
  protected resetIds(): void {
    this.ids = this.idGenerator(this.config.seed);
    this.seq = 0;
  }
}
