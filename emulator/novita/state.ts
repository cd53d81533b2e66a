/**
 * Everything the Novita emulator remembers: instances (with the operation each is in), the clock
 * and the fault store. Routes read and change it; nothing else does.
 */

import { createHash } from "node:crypto";
import { CloudState } from "../core/cloudState";
import type { EmulatedClock } from "../core/emulatedClock";
import type { FaultStore, FaultTarget } from "../core/faults";
import { createHexIdGenerator } from "../core/idGenerator";
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

export class NovitaState extends CloudState<NovitaStateConfig> {
  readonly instances = new Map<string, InstanceRecord>();
  counters: NovitaCounters = { instancesCreated: 0, instancesRemoved: 0, upgrades: 0, edits: 0 };
  /** Ids are 16 hex characters, as Novita's; reproducible with a seed. */
  constructor(config: NovitaStateConfig) {
    super(config, createHexIdGenerator);
  }

  secret(kind: string, id: string): string {
    return createHash("sha256").update(`${kind}:${id}:${String(this.config.seed ?? Math.random())}`).digest("base64url").slice(0, 20);
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
    this.resetIds();
    this.counters = { instancesCreated: 0, instancesRemoved: 0, upgrades: 0, edits: 0 };
  }
}
