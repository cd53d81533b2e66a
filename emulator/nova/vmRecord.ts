/**
 * Nova VMs (nova.md §5). A VM stores a timeline of (status, emulated instant) steps; its status
 * is the last step reached, computed whenever it is read, so no timers run. Actions (stop, start,
 * destroy, interrupt…) replace the future of the timeline from now.
 */

import type { EmulatedClock } from "../core/emulatedClock";

export const VM_STATUSES = ["creating", "starting", "running", "stopping", "stopped", "interrupted", "destroyed", "failed", "offline"] as const;
export type VmStatus = (typeof VM_STATUSES)[number];

export interface TimelineStep {
  status: VmStatus;
  /** Emulated ms. */
  at: number;
}

export interface VmRecord {
  id: string;
  vmid: number;
  userId: number;
  node: string;
  label: string | null;
  gpuType: string;
  gpuCount: number;
  storageGb: number;
  ramGb: number;
  cpuCores: number;
  templateVmid: number;
  rentalType: "on_demand" | "reserved" | "interruptible";
  reservationMonths: number | null;
  reservationId: string | null;
  autoRestart: boolean | null;
  authMethod: "ssh_key" | "password";
  sshKeyId: string | null;
  createdAtWall: number;
  /** Assigned at create, shown once the VM first runs. */
  reservedIp: string;
  gpuHourlyRate: number;
  storageHourlyRate: number;
  cpuModel: string;
  pcieGen: string;
  timeline: TimelineStep[];
}

export function statusAt(vm: VmRecord, emulatedNow: number): VmStatus {
  let current = vm.timeline[0].status;
  for (const step of vm.timeline) if (step.at <= emulatedNow) current = step.status;
  return current;
}

/** Drops the steps not reached yet and appends new ones from `now`. */
export function replan(vm: VmRecord, now: number, steps: { status: VmStatus; afterMs: number }[]): void {
  vm.timeline = vm.timeline.filter((s) => s.at <= now);
  for (const s of steps) vm.timeline.push({ status: s.status, at: now + s.afterMs });
}

function lastReached(vm: VmRecord, status: VmStatus, now: number): number | undefined {
  const reached = vm.timeline.filter((s) => s.status === status && s.at <= now);
  return reached.length ? reached[reached.length - 1].at : undefined;
}

/** GPU charges stop while stopped or interrupted (documented); storage bills until destroyed. */
export function billedHourly(vm: VmRecord, status: VmStatus): number {
  if (status === "destroyed") return 0;
  if (status === "stopped" || status === "interrupted") return vm.storageHourlyRate;
  return vm.gpuHourlyRate + vm.storageHourlyRate;
}

const iso = (ms: number) => new Date(ms).toISOString();
const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** The documented VM object, every field present. */
export function serializeVm(vm: VmRecord, clock: EmulatedClock) {
  const now = clock.emulatedNow();
  const status = statusAt(vm, now);
  const everRan = lastReached(vm, "running", now) !== undefined;
  const startedAt = lastReached(vm, "running", now);
  const stoppedAt = lastReached(vm, "stopped", now);
  const live = status === "running";
  return {
    id: vm.id,
    vmid: vm.vmid,
    user_id: vm.userId,
    node: vm.node,
    instance_label: vm.label,
    gpu_type: vm.gpuType,
    gpu_count: vm.gpuCount,
    storage_gb: vm.storageGb,
    ram_gb: vm.ramGb,
    cpu_cores: vm.cpuCores,
    ip_address: everRan && status !== "destroyed" ? vm.reservedIp : null,
    status,
    created_at: iso(vm.createdAtWall),
    started_at: startedAt === undefined ? null : iso(clock.wallAt(startedAt)),
    stopped_at: stoppedAt === undefined ? null : iso(clock.wallAt(stoppedAt)),
    rental_type: vm.rentalType,
    reservation_id: vm.reservationId,
    auto_restart: vm.autoRestart,
    hourly_rate: r4(vm.gpuHourlyRate + vm.storageHourlyRate),
    gpu_hourly_rate: r4(vm.gpuHourlyRate),
    storage_hourly_rate: r4(vm.storageHourlyRate),
    // Live utilisation: volatile on purpose, so clients learn not to diff on it.
    cpu_percent: live ? 3 + ((vm.vmid * 7 + Math.floor(now / 1000)) % 40) : 0,
    ram_percent: live ? 10 + ((vm.vmid * 3 + Math.floor(now / 1000)) % 30) : 0,
    cpu_model: everRan ? vm.cpuModel : null,
    pcie_gen: everRan ? vm.pcieGen : null,
  };
}

export type NovaVm = ReturnType<typeof serializeVm>;
