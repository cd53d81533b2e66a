/**
 * Everything the GPCN emulator remembers: VMs, jobs, SSH keys and stock, plus the clock and the
 * fault store that shape what happens to new jobs. Routes read and change it; nothing else does.
 */

import type { EmulatedClock } from "../core/emulatedClock";
import type { FaultStore, FaultTarget } from "../core/faults";
import { CloudState } from "../core/cloudState";
import type { GpcnFaultKnobs, JobOperation } from "./faultKnobs";
import type { JobFate, JobRecord } from "./jobs";
import type { SshKeyRecord } from "./sshKeyRecord";
import { StockLedger } from "./stock";
import { vmCondition, type VmLookups, type VmRecord } from "./vmRecord";

export interface GpcnStateConfig {
  clock: EmulatedClock;
  faults: FaultStore<GpcnFaultKnobs>;
  seed?: string | number;
  stockPerOffer: number;
  provisioningSeconds: number;
  deletionSeconds: number;
}

export interface GpcnCounters {
  vmsCreated: number;
  vmsDeleted: number;
  jobsCreated: number;
  sshKeysCreated: number;
}

/** Where create jobs fail or stall, as a fraction of their duration. */
const FAIL_AT = { create: 0.4, delete: 0.5 };
const STALL_AT = { create: 0.6, delete: 0.5 };

export class GpcnState extends CloudState<GpcnStateConfig> {
  readonly vms = new Map<string, VmRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly sshKeys = new Map<string, SshKeyRecord>();
  readonly stock: StockLedger;
  readonly lookups: VmLookups;
  counters: GpcnCounters = { vmsCreated: 0, vmsDeleted: 0, jobsCreated: 0, sshKeysCreated: 0 };
  constructor(config: GpcnStateConfig) {
    super(config);
    this.stock = new StockLedger(config.stockPerOffer);
    this.lookups = {
      clock: config.clock,
      job: (id) => this.jobs.get(id),
      sshKeyName: (id) => this.sshKeys.get(id)?.name,
    };
  }

  /** Forgets VMs whose delete job has completed and gives their stock back. Call before reading VMs. */
  sweep(): void {
    for (const vm of [...this.vms.values()]) {
      if (vmCondition(vm, this.lookups).gone) this.removeVm(vm);
    }
  }

  /** The live VM (not yet fully deleted), if any. */
  vm(id: string): VmRecord | undefined {
    this.sweep();
    return this.vms.get(id);
  }

  removeVm(vm: VmRecord): void {
    if (!this.vms.delete(vm.id)) return;
    this.stock.give(vm.skuCode, vm.datacenterCode);
    this.counters.vmsDeleted++;
  }

  /** Starts a job; failNextJobs / stuckNextJobs decide its fate. */
  startJob(operation: JobOperation, resource: { id: string; name: string }, target: FaultTarget): JobRecord {
    const { clock, faults } = this.config;
    const forThis = (k: { operation?: JobOperation }) => (k.operation ?? "create") === operation;
    const fail = faults.take("failNextJobs", target, forThis);
    const stuck = fail ? undefined : faults.take("stuckNextJobs", target, forThis);
    const fate: JobFate = fail
      ? { kind: "fail", atFraction: FAIL_AT[operation], message: fail.message ?? defaultFailure(operation) }
      : stuck
        ? { kind: "stuck", atFraction: STALL_AT[operation] }
        : { kind: "complete" };
    const seconds = operation === "create" ? this.config.provisioningSeconds : this.config.deletionSeconds;
    const job: JobRecord = {
      jobId: this.newId(),
      operation,
      resourceId: resource.id,
      resourceName: resource.name,
      emulatedStart: clock.emulatedNow(),
      emulatedDurationMs: Math.max(1, seconds * 1000),
      createdAtWall: clock.wallNow(),
      fate,
    };
    this.jobs.set(job.jobId, job);
    this.counters.jobsCreated++;
    return job;
  }

  /** Put everything back to a fresh start (same seed -> same ids again). */
  reset(): void {
    this.vms.clear();
    this.jobs.clear();
    this.sshKeys.clear();
    this.stock.reset();
    this.resetIds();
    this.counters = { vmsCreated: 0, vmsDeleted: 0, jobsCreated: 0, sshKeysCreated: 0 };
  }
}

function defaultFailure(operation: JobOperation): string {
  return operation === "create" ? "GPU VM provisioning failed at the provider" : "GPU VM deletion failed at the provider";
}
