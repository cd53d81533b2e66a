import { z } from "zod";
import { priceOutputs } from "../core/pricing";
import { compact } from "../core/compact";
import { declaredInputs } from "../core/resourceHandler";
import { gpuVmInputs, sshKeyInputs } from "./inputs";
import { GpcnVm } from "./schemas";
import { GpcnSshKey } from "./schemas";

// State of gpcn:GpuVm and gpcn:SshKey beyond their declared inputs (gpuVmOutputsOf below and
// in sshKey.ts), plus the inputs kept secret in state, with types, descriptions and secret marks.
// The package schema (provider/schema) reads these: an input is secret when its namesake here is.

export const gpuVmOutputs = z.object({
  status: z.string().describe("GPCN's VM status, e.g. `running`."),
  ip: z.string().optional().describe("Public IP address."),
  image: z.string().optional().describe("The OS image as GPCN shows it."),
  jupyterUrl: z.string().optional().describe("JupyterLab URL, when GPCN offers one."),
  sshKeyName: z.string().optional().describe("Name of the installed key in the GPCN key library."),
  resourceGroupName: z.string().optional(),
  createdAt: z.string().optional().describe("ISO time the VM was created."),
  configuration: z
    .object({
      name: z.string().optional().describe("GPU series name."),
      code: z.string().optional().describe("GPU series code."),
      gpuCount: z.number().optional(),
      cpu: z.number().optional().describe("vCPUs."),
      ramGiB: z.number().optional(),
      diskGb: z.number().optional(),
      skuCode: z.string().optional(),
    })
    .describe("The machine GPCN runs: series, GPUs, CPU, memory, disk and SKU."),
  datacenter: z
    .object({ id: z.string().optional(), name: z.string().optional(), region: z.string().optional(), country: z.string().optional() })
    .optional()
    .describe("Where the VM runs."),
  ...priceOutputs,
});

export const sshKeyOutputs = z.object({
  fingerprint: z.string().optional().describe("The key's fingerprint as GPCN reports it."),
  privateKey: z
    .string()
    .optional()
    .meta({ secret: true })
    .describe("Only for a key GPCN generated (`algorithm`): the private key, returned once at create. Secret."),
  passphrase: z.string().optional().meta({ secret: true }).describe("The input, kept secret in state."),
});

/** One row of `gpcn:getInventory` (provider/gpcn/inventory.ts). */
export const inventoryOffer = z.object({
  seriesId: z.string(),
  seriesName: z.string(),
  seriesCode: z.string().optional().describe("Use as a GpuVm's `seriesCode`."),
  datacenterId: z.string().describe("Use as a GpuVm's `datacenterId`."),
  datacenterName: z.string().optional(),
  datacenterCode: z.string().optional().describe("e.g. `KAN-1`."),
  gpuCount: z.number().int(),
  specs: z
    .object({ gpuDescription: z.string().optional(), vcpu: z.number().optional(), memoryGiB: z.number().optional(), storageGb: z.number().optional() })
    .optional()
    .describe("The machine of this series and GPU count."),
  skuCodes: z.array(z.string()).describe("SKUs that can be ordered (a GpuVm's `skuCode`)."),
});

/** A VM as GPCN shows it, as state. */
export function gpuVmOutputsOf(inputs: Record<string, unknown>, vm: GpcnVm | undefined, previous: Record<string, unknown> = {}) {
  // What the user declared stays as declared (no perpetual diffs from the cloud's spellings);
  // what they left out is filled from the cloud.
  const fromCloud: Record<string, unknown> = vm
    ? {
        seriesCode: vm.seriesCode,
        skuCode: vm.skuCode,
        resourceGroupId: vm.resourceGroupId,
        username: vm.username,
        status: vm.status,
        ip: vm.ip,
        image: vm.image,
        jupyterUrl: vm.jupyterUrl,
        sshKeyName: vm.sshKeyName,
        resourceGroupName: vm.resourceGroupName,
        createdAt: vm.createdAt,
        configuration: compact({ name: vm.seriesName, code: vm.seriesCode, gpuCount: vm.gpuCount, cpu: vm.cpu, ramGiB: vm.ramGiB, diskGb: vm.diskGb, skuCode: vm.skuCode }),
        datacenter: vm.datacenter ? compact(vm.datacenter) : undefined,
      }
    : {};
  return compact({ ...previous, ...compact(fromCloud), ...declaredInputs(gpuVmInputs, inputs) });
}

/** A key as the cloud shows it, as state. */
export function sshKeyOutputsOf(inputs: Record<string, unknown>, key: GpcnSshKey | undefined, previous: Record<string, unknown> = {}) {
  const fromCloud = key ? { publicKey: key.publicKey, fingerprint: key.fingerprint, algorithm: key.algorithm } : {};
  return compact<Record<string, unknown>>({ ...previous, ...fromCloud, ...declaredInputs(sshKeyInputs, inputs) });
}
