/**
 * The offers the Fluence emulator rents out (shared/api/fluence.md §5): per kind, GPU model groups,
 * then GPU-count groups, then options tied to one provider and location. Option ids are stable
 * UUIDs so tests and examples can name them.
 */

import { stableUuid } from "../core/idGenerator";

export type InstanceKind = "vm" | "baremetal";

export interface GpuModel {
  vendor: string;
  model: string;
  vram: string;
  interface: "sxm" | "pcie";
}

export interface PlanOption {
  id: string;
  kind: InstanceKind;
  gpuModel: GpuModel;
  gpuCount: number;
  location: string;
  provider: string;
  vcpu: number;
  memoryGi: number;
  storageGi: number;
  pricePerHour: number;
  nvlink: boolean;
  osOptions: string[];
}

const H200: GpuModel = { vendor: "nvidia", model: "h200", vram: "141Gi", interface: "sxm" };
const H100: GpuModel = { vendor: "nvidia", model: "h100", vram: "80Gi", interface: "sxm" };
const A100: GpuModel = { vendor: "nvidia", model: "a100", vram: "80Gi", interface: "pcie" };
const RTX4090: GpuModel = { vendor: "nvidia", model: "rtx4090", vram: "24Gi", interface: "pcie" };

const SHADE = ["ubuntu22.04_cuda12.4_shade_os", "ubuntu24.04_cuda12.8_shade_os"];
const MASSED = ["Ubuntu Server 22.04", "Ubuntu Server 24.04"];
const PLAIN = ["ubuntu22.04", "ubuntu24.04"];

type Row = [InstanceKind, GpuModel, number, string, string, number, string[]];

// kind, model, count, location, provider, price per hour (USDC), OS images
const rows: Row[] = [
  ["vm", H200, 1, "us-central-3", "sesterce", 2.96, SHADE],
  ["vm", H200, 1, "dulles-usa-1", "massed-compute", 3.4, MASSED],
  ["vm", H200, 8, "us-central-3", "sesterce", 23.5, SHADE],
  ["vm", H100, 1, "eu-north-1", "sesterce", 2.1, SHADE],
  ["vm", H100, 1, "us-east-2", "massed-compute", 1.95, MASSED],
  ["vm", H100, 1, "dulles-usa-1", "massed-compute", 2.45, MASSED],
  ["vm", H100, 2, "us-east-2", "massed-compute", 3.9, MASSED],
  ["vm", A100, 1, "eu-west-1", "datacrunch", 1.2, PLAIN],
  ["vm", RTX4090, 1, "eu-west-1", "datacrunch", 0.45, PLAIN],
  ["baremetal", H100, 8, "dulles-usa-1", "massed-compute", 16, MASSED],
  ["baremetal", H200, 8, "us-central-3", "sesterce", 21, SHADE],
];

export const planOptions: PlanOption[] = rows.map(([kind, gpuModel, gpuCount, location, provider, pricePerHour, osOptions]) => ({
  id: stableUuid(`fluence:${kind}:${gpuModel.model}:${gpuCount}:${location}:${provider}`),
  kind,
  gpuModel,
  gpuCount,
  location,
  provider,
  vcpu: 16 * gpuCount,
  memoryGi: 128 * gpuCount,
  storageGi: 120 * gpuCount,
  pricePerHour,
  nvlink: gpuCount > 1 && gpuModel.interface === "sxm",
  osOptions,
}));

export function findOption(id: string): PlanOption | undefined {
  return planOptions.find((o) => o.id === id);
}

/** Hours of the price a deploy takes from the balance: one charged, two held in reserve (documented). */
export const UPFRONT_HOURS = 3;
export const CURRENCY = "USDC";
