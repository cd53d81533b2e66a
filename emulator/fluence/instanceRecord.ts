/**
 * VM and bare-metal instances (shared/api/fluence.md §7, §9). The status is derived at read time:
 * INITIALIZED until provisioning ends, then ACTIVE (or FAILED when the deploy was doomed);
 * ENDED once terminated. FAILED and ENDED are terminal and stay in lists.
 */

import type { EmulatedClock } from "../core/emulatedClock";
import { CURRENCY, type InstanceKind, type PlanOption, UPFRONT_HOURS } from "./catalog";

export type InstanceStatus = "INITIALIZED" | "ACTIVE" | "FAILED" | "ENDED";

export interface InstanceRecord {
  id: string;
  kind: InstanceKind;
  name: string;
  option: PlanOption;
  osImage: string;
  sshKey: string;
  createdAtWall: number;
  updatedAtWall: number;
  /** Emulated instant provisioning ends; null = stuck in INITIALIZED. */
  readyAtEmulated: number | null;
  /** What provisioning ends in. */
  fate: "active" | "fail";
  /** Emulated instant of termination. */
  endedAtEmulated?: number;
  /** Public IP, shown once ACTIVE. */
  reservedIp: string;
  /** Money taken at deploy: one hour charged, the rest held in reserve. */
  chargedAmount: number;
  reservedAmount: number;
  /** The balance was settled (refund on FAILED, reserve back on termination). */
  settled: boolean;
}

export function instanceStatus(i: InstanceRecord, clock: EmulatedClock): InstanceStatus {
  if (i.endedAtEmulated !== undefined) return "ENDED";
  if (i.readyAtEmulated === null || clock.emulatedNow() < i.readyAtEmulated) return "INITIALIZED";
  return i.fate === "fail" ? "FAILED" : "ACTIVE";
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z"); // microseconds, as Fluence

/** The wall instant of the status change, for updated_at. */
function statusSinceWall(i: InstanceRecord, clock: EmulatedClock): number {
  const since = i.endedAtEmulated ?? i.readyAtEmulated;
  return since !== null && since !== undefined && since <= clock.emulatedNow() ? clock.wallAt(since) : i.createdAtWall;
}

export function serializeListItem(i: InstanceRecord, clock: EmulatedClock) {
  const status = instanceStatus(i, clock);
  const o = i.option;
  return {
    id: i.id,
    name: i.name,
    status,
    resources: {
      supply: {
        vcpu: { count: o.vcpu },
        memory: { count: o.memoryGi, units: "Gi" },
        storage: { count: o.storageGi, units: "Gi" },
        gpu_count: o.gpuCount,
      },
      gpu_model: { ...o.gpuModel },
    },
    domain: status === "ACTIVE" ? i.reservedIp : null,
    location: o.location,
    created_at: iso(i.createdAtWall),
    updated_at: iso(Math.max(i.updatedAtWall, statusSinceWall(i, clock))),
  };
}

export function serializeInstance(i: InstanceRecord, clock: EmulatedClock) {
  const item = serializeListItem(i, clock);
  const active = item.status === "ACTIVE";
  const nextHour = Math.ceil((clock.wallNow() + 1) / 3_600_000) * 3_600_000;
  return {
    ...item,
    availability: i.kind,
    os_image: i.osImage,
    ssh_connection: active ? `ssh ubuntu@${i.reservedIp}` : null,
    billing: {
      hourly_usage: i.option.pricePerHour,
      total_spendings: i.settled && item.status === "FAILED" ? 0 : i.chargedAmount,
      reserved_amount: item.status === "ENDED" || item.status === "FAILED" ? 0 : i.reservedAmount,
      next_billing_period: active ? new Date(nextHour).toISOString() : null,
    },
    network: active ? { domain: i.reservedIp, forwarded_ports: [], uri: null } : null,
    ssh_key: i.sshKey,
  };
}

export type FluenceInstance = ReturnType<typeof serializeInstance>;
export type FluenceInstanceListItem = ReturnType<typeof serializeListItem>;

export function upfrontCost(option: PlanOption): number {
  return round(option.pricePerHour * UPFRONT_HOURS);
}

export const round = (n: number) => Math.round(n * 1e6) / 1e6;
export { CURRENCY };
