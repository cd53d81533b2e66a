/**
 * Everything the Fluence emulator remembers: instances, keys and the account balance, plus the
 * clock and faults that shape new deploys. Routes read and change it; nothing else does.
 */

import type { EmulatedClock } from "../core/emulatedClock";
import type { FaultStore } from "../core/faults";
import { CloudState } from "../core/cloudState";
import { planOptions, type PlanOption } from "./catalog";
import type { FluenceFaultKnobs } from "./faultKnobs";
import { instanceStatus, round, type InstanceRecord } from "./instanceRecord";
import type { SshKeyRecord } from "./sshKeyRecord";

export interface FluenceStateConfig {
  clock: EmulatedClock;
  faults: FaultStore<FluenceFaultKnobs>;
  seed?: string | number;
  provisioningSeconds: number;
  initialBalance: number;
}

export interface FluenceCounters {
  instancesDeployed: number;
  instancesTerminated: number;
  sshKeysCreated: number;
}

/** How the key library answers an upload of key material it already holds. */
export type DuplicateKeyAnswer = "conflict" | "legacy200";

export class FluenceState extends CloudState<FluenceStateConfig> {
  readonly instances = new Map<string, InstanceRecord>();
  readonly sshKeys = new Map<string, SshKeyRecord>();
  /** Options currently offered (an admin may withdraw some). */
  options: PlanOption[] = [...planOptions];
  balance: number;
  duplicateKeyAnswer: DuplicateKeyAnswer = "conflict";
  counters: FluenceCounters = { instancesDeployed: 0, instancesTerminated: 0, sshKeysCreated: 0 };
  constructor(config: FluenceStateConfig) {
    super(config);
    this.balance = config.initialBalance;
  }

  /** A failed deploy is refunded in full (documented); call before showing instances or the balance. */
  settle(): void {
    for (const i of this.instances.values()) {
      if (!i.settled && instanceStatus(i, this.clock) === "FAILED") {
        this.balance = round(this.balance + i.chargedAmount + i.reservedAmount);
        i.settled = true;
      }
    }
  }

  /** Unused reserve goes back to the balance on termination (documented). */
  terminate(i: InstanceRecord): void {
    i.endedAtEmulated = this.clock.emulatedNow();
    i.updatedAtWall = this.clock.wallNow();
    this.balance = round(this.balance + i.reservedAmount);
    i.settled = true;
    this.counters.instancesTerminated++;
  }

  reset(): void {
    this.instances.clear();
    this.sshKeys.clear();
    this.options = [...planOptions];
    this.balance = this.config.initialBalance;
    this.duplicateKeyAnswer = "conflict";
    this.resetIds();
    this.counters = { instancesDeployed: 0, instancesTerminated: 0, sshKeysCreated: 0 };
  }
}
