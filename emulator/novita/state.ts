/**
 * Everything the Novita emulator remembers: instances (with the operation each is in), the clock
 * and the fault store. Routes read and change it; nothing else does.
 */

import { createHash } from "node:crypto";
import type { EmulatedClock } from "../core/emulatedClock";
import type { FaultStore, FaultTarget } from "../core/faults";
import type { NovitaFaultKnobs } from "./faultKnobs";
import { observed, type InstanceRecord } from "./instanceRecord";
import { operation, type Durations, type OperationKind } from "./operations";

export interface NovitaStateConfig extends Durations {
  clock: EmulatedClock;
  faults: FaultStore<NovitaFaultKnobs>;
  seed?: string | number;
  /** Instances each product can hold (default 1000). */
  stockPerProduct: number;
  /** Emulated seconds a removed instance still answers `status: removed` before it is 404. */
  removedVisibleSeconds: number;
  /** How an unknown instance id is answered: 400 RESOURCE_NOT_FOUND (documented) or 404 (seen live). */
  missingInstanceStatus: 400 | 404;
}

export interface NovitaCounters {
  instancesCreated: number;
  instancesRemoved: number;
  upgrades: number;
  edits: number;
}

/** Public documentation ranges (RFC 5737), so emulated IPs can never reach a real host. */
const IP_BLOCKS = ["203.0.113", "198.51.100", "192.0.2"];

export class NovitaState {
  readonly instances = new Map<string, InstanceRecord>();
  counters: NovitaCounters = { instancesCreated: 0, instancesRemoved: 0, upgrades: 0, edits: 0 };
  private seq = 0;
  private idCount = 0;

  constructor(readonly config: NovitaStateConfig) {}

  get clock(): EmulatedClock {
    return this.config.clock;
  }

  /** 16 hex characters, as Novita's ids; reproducible with a seed. */
  newId(): string {
    const source = this.config.seed === undefined ? `${Math.random()}:${Date.now()}` : `${String(this.config.seed)}`;
    return createHash("sha256").update(`${source}:${++this.idCount}`).digest("hex").slice(0, 16);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  secret(kind: string, id: string): string {
    return createHash("sha256").update(`${kind}:${id}:${String(this.config.seed ?? Math.random())}`).digest("base64url").slice(0, 20);
  }

  ipFor(n: number): string {
    const index = n - 1;
    return `${IP_BLOCKS[Math.floor(index / 240) % IP_BLOCKS.length]}.${10 + (index % 240)}`;
  }

  /** Forgets instances removed longer ago than removedVisibleSeconds. Call before reading. */
  sweep(): void {
    const now = this.clock.emulatedNow();
    for (const rec of [...this.instances.values()]) {
      const o = observed(rec, this.clock);
      if (o.status === "removed" && o.endedAt !== undefined && now >= o.endedAt + this.config.removedVisibleSeconds * 1000) {
        this.instances.delete(rec.id);
      }
    }
  }

  instance(id: string): InstanceRecord | undefined {
    this.sweep();
    return this.instances.get(id);
  }

  /** Instances still holding a product (not removing or removed). */
  liveCount(productId: string): number {
    return [...this.instances.values()].filter((r) => r.productId === productId && !["toRemove", "removing", "removed"].includes(observed(r, this.clock).status)).length;
  }

  begin(rec: InstanceRecord, kind: OperationKind, target?: FaultTarget): void {
    const { faults } = this.config;
    let fate: Parameters<typeof operation>[3] = { kind: "complete" };
    if (kind === "create" && target) {
      const fail = faults.take("failNextStarts", target);
      const stuck = fail ? undefined : faults.take("stuckNextStarts", target);
      if (fail) fate = { kind: "fail", message: fail.message ?? `failed to pull image ${rec.imageUrl}: manifest unknown` };
      else if (stuck) fate = { kind: "stuck" };
    }
    rec.operation = operation(kind, this.clock.emulatedNow(), this.config, fate);
    if (kind === "delete") this.counters.instancesRemoved++;
  }

  reset(): void {
    this.instances.clear();
    this.seq = 0;
    this.idCount = 0;
    this.counters = { instancesCreated: 0, instancesRemoved: 0, upgrades: 0, edits: 0 };
  }
}
