/**
 * What the Nova emulator sells: nodes with one GPU type each (nova.md §11), the documented
 * templates (§7) and list prices. Prices differ per node so "cheapest offer" means something.
 */

export interface NovaNode {
  id: string;
  gpuType: string;
  gpus: number;
  /** USD per GPU-hour, on demand. */
  pricePerGpuHour: number;
  /** USD per GPU-hour, interruptible. */
  interruptibleRate: number;
  location: string;
  cpuCores: number;
  ramGb: number;
  gpuRamMb: number;
  cpuModel: string;
  pcieGen: string;
}

export const nodes: NovaNode[] = [
  { id: "vm01", gpuType: "4090", gpus: 8, pricePerGpuHour: 0.6, interruptibleRate: 0.18, location: "Helsinki, FI", cpuCores: 128, ramGb: 512, gpuRamMb: 24576, cpuModel: "AMD EPYC 7543", pcieGen: "4.0" },
  { id: "vm02", gpuType: "4090", gpus: 4, pricePerGpuHour: 0.55, interruptibleRate: 0.2, location: "Oslo, NO", cpuCores: 64, ramGb: 256, gpuRamMb: 24576, cpuModel: "AMD EPYC 7443P", pcieGen: "4.0" },
  { id: "vm03", gpuType: "5090", gpus: 8, pricePerGpuHour: 0.89, interruptibleRate: 0.27, location: "Helsinki, FI", cpuCores: 128, ramGb: 1024, gpuRamMb: 32768, cpuModel: "AMD EPYC 9354", pcieGen: "5.0" },
  { id: "vm04", gpuType: "5090", gpus: 8, pricePerGpuHour: 0.95, interruptibleRate: 0.22, location: "Stockholm, SE", cpuCores: 128, ramGb: 1024, gpuRamMb: 32768, cpuModel: "AMD EPYC 9354", pcieGen: "5.0" },
  { id: "vm05", gpuType: "6000pro", gpus: 4, pricePerGpuHour: 1.79, interruptibleRate: 0.54, location: "Helsinki, FI", cpuCores: 96, ramGb: 768, gpuRamMb: 98304, cpuModel: "AMD EPYC 9454", pcieGen: "5.0" },
];

export const findNode = (id: string) => nodes.find((n) => n.id === id);

export const templates: Record<number, { name: string; access: string[] }> = {
  100: { name: "Ubuntu 22.04 + NVIDIA drivers", access: ["ssh"] },
  101: { name: "Ubuntu 24.04 + NVIDIA drivers", access: ["ssh"] },
  102: { name: "Stable Diffusion (A1111)", access: ["ssh", "webui", "jupyter"] },
  103: { name: "ComfyUI", access: ["ssh", "webui", "jupyter"] },
  104: { name: "Linux Desktop (browser)", access: ["ssh", "webui", "jupyter"] },
};

/** List price per GPU-hour as /pricing shows it. */
export const listPrices: Record<string, number> = { "5090": 0.89, "4090": 0.6, "6000pro": 1.79 };

export const STORAGE_PER_GB_HOUR = 0.00014;

/** Reserved discounts ("up to 20% off", documented) by months. */
export const reservedDiscountPercent: Record<number, number> = { 1: 5, 3: 10, 6: 20 };

export const HOURS_PER_MONTH = 730;

export const round = (v: number, places = 4) => Math.round(v * 10 ** places) / 10 ** places;
