/**
 * GPU VMs (API doc §5). A VM's status is derived from its create and delete jobs at read time:
 * create initializing/provisioning -> Provisioning, starting -> Starting, completed -> Running,
 * failed -> Error; an unfinished delete job -> Deleting (a failed one -> Error).
 */

import type { EmulatedClock } from "../core/emulatedClock";
import { datacenters, findImageByName, findResourceGroup, gpuSeries, type Datacenter, type GpuSeries, type Sku } from "./catalog";
import { jobState, type JobRecord } from "./jobs";
import { powerStatusAt, type PowerStep } from "./power";

export interface VmRecord {
  id: string;
  seq: number;
  name: string;
  createdAtWall: number;
  /** Last change made through PUT or out of band. */
  editedAtWall: number;
  seriesId: string;
  skuCode: string;
  datacenterCode: string;
  resourceGroupId: string;
  imageName: string;
  sshKeyId: string | null;
  /** Name of the key when it was linked; used if the key is later deleted. */
  sshKeyNameSnapshot: string | null;
  username: string;
  /** Reserved at create, shown once the VM is Running. */
  reservedIp: string;
  createJobId: string;
  deleteJobId?: string;
  /** Steps of the last start or stop (power.ts); absent until the VM is first stopped. */
  power?: PowerStep[];
}

export type VmStatus = "Provisioning" | "Starting" | "Running" | "Error" | "Deleting" | "Stopping" | "Stopped";

export interface VmLookups {
  clock: EmulatedClock;
  job(id: string): JobRecord | undefined;
  sshKeyName(id: string): string | undefined;
}

export interface VmCondition {
  status: VmStatus;
  /** The delete job finished: the VM no longer exists. */
  gone: boolean;
  /** The create job completed at some point (the VM got its IP). */
  everRunning: boolean;
  /** Emulated instant of the last status change. */
  statusSince: number;
}

export function vmCondition(vm: VmRecord, lookups: VmLookups): VmCondition {
  const now = lookups.clock.emulatedNow();
  const createJob = lookups.job(vm.createJobId);
  const create = createJob ? jobState(createJob, now) : undefined;
  const everRunning = create?.isCompleted ?? false;
  const deleteJob = vm.deleteJobId ? lookups.job(vm.deleteJobId) : undefined;
  if (deleteJob) {
    const del = jobState(deleteJob, now);
    if (del.isCompleted) return { status: "Deleting", gone: true, everRunning, statusSince: del.stageSince };
    const status = del.hasFailed ? "Error" : "Deleting";
    return { status, gone: false, everRunning, statusSince: del.hasFailed ? del.stageSince : deleteJob.emulatedStart };
  }
  const since = create?.stageSince ?? now;
  const byStage: Partial<Record<string, VmStatus>> = { starting: "Starting", completed: "Running", failed: "Error" };
  const status = create ? (byStage[create.stage] ?? (create.isTerminal ? "Error" : "Provisioning")) : "Running";
  // A running VM that was stopped or started shows its power action's status from then on.
  const power = status === "Running" ? powerStatusAt(vm.power, now) : undefined;
  if (power) return { status: power.status, gone: false, everRunning: true, statusSince: power.since };
  if (!create) return { status, gone: false, everRunning: true, statusSince: since };
  // initializing -> provisioning does not change the VM status
  const statusSince = status === "Provisioning" ? createJob!.emulatedStart : since;
  return { status, gone: false, everRunning, statusSince };
}

export interface VmCatalogEntry {
  series: GpuSeries;
  sku: Sku;
  datacenter: Datacenter;
}

export function catalogEntryOf(vm: VmRecord): VmCatalogEntry {
  const series = gpuSeries.find((s) => s.id === vm.seriesId);
  const sku = series?.skus.find((k) => k.skuCode === vm.skuCode);
  const datacenter = datacenters.find((dc) => dc.code === vm.datacenterCode);
  if (!series || !sku || !datacenter) throw new Error(`VM ${vm.id} references an unknown catalog entry`);
  return { series, sku, datacenter };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** List item: id, name, timestamps, status, configuration, ip, datacenter, resource group (doc §5). */
export function serializeVmListItem(vm: VmRecord, lookups: VmLookups) {
  const { series, sku, datacenter } = catalogEntryOf(vm);
  const cond = vmCondition(vm, lookups);
  const ip = cond.everRunning ? vm.reservedIp : null;
  return {
    id: vm.id,
    name: vm.name,
    createdAt: iso(vm.createdAtWall),
    updatedAt: iso(Math.max(vm.editedAtWall, lookups.clock.wallAt(cond.statusSince))),
    deletedAt: null,
    status: cond.status,
    configuration: {
      name: series.name,
      code: series.code,
      gpuCount: sku.gpuCount,
      cpu: sku.specs.vcpu,
      ram: sku.specs.memoryGiB,
      disk: sku.specs.storageGB,
      skuId: sku.id,
      skuCode: sku.skuCode,
    },
    ip,
    datacenter: {
      id: datacenter.id,
      name: datacenter.name,
      region: datacenter.region,
      countryAbbr: datacenter.countryAbbr,
      country: datacenter.country,
    },
    resourceGroupId: vm.resourceGroupId,
    resourceGroupName: findResourceGroup(vm.resourceGroupId)?.name ?? null,
  };
}

/** Full GPUVMDetails. */
export function serializeVm(vm: VmRecord, lookups: VmLookups) {
  const item = serializeVmListItem(vm, lookups);
  return {
    ...item,
    jupyterUrl: item.ip ? `https://${item.ip}:8888` : null,
    username: vm.username,
    image: findImageByName(vm.imageName)?.displayName ?? vm.imageName,
    sshKeyId: vm.sshKeyId,
    sshKeyName: vm.sshKeyId ? (lookups.sshKeyName(vm.sshKeyId) ?? vm.sshKeyNameSnapshot) : null,
    hasStoredCredentials: false,
  };
}

export type GpcnVm = ReturnType<typeof serializeVm>;
export type GpcnVmListItem = ReturnType<typeof serializeVmListItem>;
