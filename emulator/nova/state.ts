/**
 * Everything the Nova emulator remembers: VMs, SSH keys and the account (balance and quotas),
 * plus the clock and fault store that shape new VMs. Routes read and change it; nothing else does.
 */

import type { EmulatedClock } from "../core/emulatedClock";
import type { FaultStore } from "../core/faults";
import { CloudState } from "../core/cloudState";
import { nodes, type NovaNode } from "./catalog";
import type { NovaFaultKnobs } from "./faultKnobs";
import { billedHourly, statusAt, type VmRecord } from "./vmRecord";

export interface NovaAccount {
  balance: number;
  tier: string;
  maxVms: number;
  maxHourlySpend: number;
}

export interface NovaTimings {
  /** creating -> starting -> running, emulated seconds. */
  provisioningSeconds: number;
  startSeconds: number;
  stopSeconds: number;
  destroySeconds: number;
}

export interface NovaStateConfig extends NovaTimings {
  clock: EmulatedClock;
  faults: FaultStore<NovaFaultKnobs>;
  seed?: string | number;
  account: NovaAccount;
  /** Destroyed VMs stay readable (status `destroyed`) instead of answering 404. */
  keepDestroyedVms: boolean;
}

export interface NovaCounters {
  vmsCreated: number;
  vmsDestroyed: number;
  sshKeysCreated: number;
}

export interface SshKeyRecord {
  id: string;
  label: string;
  keyType: string;
  fingerprint: string;
  publicKey: string;
  createdAtWall: number;
}

export const USER_ID = 42;

export class NovaState extends CloudState<NovaStateConfig> {
  readonly vms = new Map<string, VmRecord>();
  readonly sshKeys = new Map<string, SshKeyRecord>();
  account: NovaAccount;
  counters: NovaCounters = { vmsCreated: 0, vmsDestroyed: 0, sshKeysCreated: 0 };
  private nextVmid = 1000;

  constructor(config: NovaStateConfig) {
    super(config);
    this.account = { ...config.account };
  }

  newVmid(): number {
    return ++this.nextVmid;
  }

  status(vm: VmRecord) {
    return statusAt(vm, this.clock.emulatedNow());
  }

  /** The VM as the API sees it: undefined once destroyed unless destroyed VMs are kept. */
  visibleVm(id: string): VmRecord | undefined {
    const vm = this.vms.get(id);
    if (!vm) return undefined;
    return this.status(vm) === "destroyed" && !this.config.keepDestroyedVms ? undefined : vm;
  }

  visibleVms(): VmRecord[] {
    return [...this.vms.values()].filter((vm) => this.visibleVm(vm.id));
  }

  /** VMs that exist (everything but destroyed): they hold GPUs and count toward max_vms. */
  liveVms(): VmRecord[] {
    return [...this.vms.values()].filter((vm) => this.status(vm) !== "destroyed");
  }

  freeGpus(node: NovaNode): number {
    const used = this.liveVms().filter((vm) => vm.node === node.id).reduce((sum, vm) => sum + vm.gpuCount, 0);
    return Math.max(0, node.gpus - used);
  }

  /** What the account is billed per hour right now. */
  hourlySpend(): number {
    return this.liveVms().reduce((sum, vm) => sum + billedHourly(vm, this.status(vm)), 0);
  }

  oldestSshKey(): SshKeyRecord | undefined {
    return [...this.sshKeys.values()].sort((a, b) => a.createdAtWall - b.createdAtWall)[0];
  }

  reset(): void {
    this.vms.clear();
    this.sshKeys.clear();
    this.account = { ...this.config.account };
    this.resetIds();
    this.nextVmid = 1000;
    this.counters = { vmsCreated: 0, vmsDestroyed: 0, sshKeysCreated: 0 };
  }
}

export { nodes };
