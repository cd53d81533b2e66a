import { z } from "zod";
import { priceOutputs } from "../core/pricing";
import { compact } from "../core/compact";
import { declaredInputs } from "../core/resourceHandler";
import { GpuVmInputs, gpuVmInputs } from "./inputs";
import { pricePerGpuHour } from "./products";
import { NovitaInstance, NovitaProduct } from "./schemas";

// State of novita:GpuVm beyond its declared inputs (gpuVmOutputsOf below), plus the inputs kept
// secret in state, with types, descriptions and secret marks. The package schema
// (provider/schema) reads these: an input is secret when its namesake here is.

export const gpuVmOutputs = z.object({
  status: z.string().describe("Novita's instance status, e.g. `running`."),
  clusterName: z.string().optional(),
  ip: z.string().optional(),
  portMappings: z
    .array(z.object({ port: z.number().optional(), endpoint: z.string().optional(), type: z.string().optional() }))
    .optional()
    .describe("Where each exposed port is reachable."),
  sshCommand: z.string().optional().describe("e.g. `ssh root@host -p 31022`."),
  sshPassword: z.string().optional().meta({ secret: true }).describe("Password of `sshCommand`. Secret."),
  webTerminalAddress: z.string().optional(),
  webTerminalUsername: z.string().optional(),
  webTerminalPassword: z.string().optional().meta({ secret: true }).describe("Secret."),
  jupyterAddress: z.string().optional(),
  cpuCount: z.number().optional(),
  memoryGb: z.number().optional(),
  endTime: z.string().optional().describe("ISO time a monthly instance ends; unset for pay-as-you-go."),
  spotStatus: z.string().optional(),
  spotReclaimTime: z.string().optional().describe("ISO time a spot instance will be reclaimed, when announced."),
  createdAt: z.string().optional(),
  pricePerGpuHourUsd: z.number().optional().describe("USD per GPU-hour in the instance's billing mode, from Novita's product list at create."),
  pricePerHourUsd: z.number().optional().describe("pricePerGpuHourUsd × gpuCount. Deprecated: use `pricePerHour`."),
  imageAuth: z.string().optional().meta({ secret: true }).describe("The input, kept secret in state."),
  ...priceOutputs,
});

/** One `novita:getProducts` row (provider/novita/schemas.ts productSchema); also `getCheapestProduct`'s `product`. */
export const product = z.object({
  id: z.string().describe("Use as a GpuVm's `productId`."),
  name: z.string(),
  cpuPerGpu: z.number().optional(),
  memoryPerGpuGb: z.number().optional(),
  diskPerGpuGb: z.number().optional(),
  availableDeploy: z.boolean(),
  canBuy: z.boolean().optional(),
  minRootfsSize: z.number().optional(),
  maxRootfsSize: z.number().optional(),
  regions: z.array(z.string()),
  pricePerGpuHourUsd: z.number().optional(),
  spotPricePerGpuHourUsd: z.number().optional(),
  monthlyPrices: z.array(z.object({ months: z.number(), priceUsd: z.number().optional() })),
  billingMethods: z.array(z.string()),
  inventoryState: z.string().optional(),
});

/** One `novita:getClusters` row (provider/novita/schemas.ts clusterSchema). */
export const cluster = z.object({
  id: z.string().describe("Use as a GpuVm's `clusterId`."),
  name: z.string(),
  availableGpuTypes: z.array(z.string()),
  supportNetworkStorage: z.boolean(),
  supportInstanceNetwork: z.boolean(),
});

/** The price outputs of an instance of `product`. */
export function pricingOf(product: NovitaProduct | undefined, inputs: GpuVmInputs): Record<string, unknown> {
  if (!product) return {};
  const perGpu = pricePerGpuHour(product, inputs.billingMode);
  return compact({
    pricePerGpuHourUsd: perGpu,
    // Novita prices a product per GPU-hour (inferred from its product list): the instance costs that × GPUs.
    pricePerHourUsd: perGpu === undefined ? undefined : Math.round(perGpu * inputs.gpuCount * 100_000) / 100_000,
  });
}

/** Exposed ports the user manages: tools' ports are Novita's to map. */
export function userPorts(instance: NovitaInstance, inputs: Record<string, unknown>) {
  const toolPorts = new Set(((inputs.tools as GpuVmInputs["tools"]) ?? []).map((t) => t.port));
  return instance.portMappings
    .filter((p) => p.port !== undefined && !toolPorts.has(p.port))
    .map((p) => ({ port: p.port!, type: p.type === "tcp" ? ("tcp" as const) : ("http" as const) }));
}

/** A record of Novita's as state: declared inputs as declared, the rest as Novita shows it. */
export function gpuVmOutputsOf(inputs: Record<string, unknown>, instance: NovitaInstance | undefined, pricing: Record<string, unknown>, previous: Record<string, unknown> = {}) {
  // Declared inputs stay as declared (no perpetual diffs); what the cloud fills in comes from it.
  const fromCloud: Record<string, unknown> = instance
    ? {
        productId: instance.productId,
        clusterId: instance.clusterId,
        clusterName: instance.clusterName,
        status: instance.status,
        ip: instance.ip,
        portMappings: instance.portMappings.map((p) => compact({ ...p })),
        sshCommand: instance.sshCommand,
        sshPassword: instance.sshPassword,
        webTerminalAddress: instance.webTerminal?.address,
        webTerminalUsername: instance.webTerminal?.username,
        webTerminalPassword: instance.webTerminal?.password,
        jupyterAddress: instance.jupyterAddress,
        cpuCount: instance.cpuCount,
        memoryGb: instance.memoryGb,
        endTime: instance.endTime,
        spotStatus: instance.spotStatus,
        spotReclaimTime: instance.spotReclaimTime,
        createdAt: instance.createdAt,
      }
    : {};
  return compact({ ...previous, ...compact(fromCloud), ...pricing, ...declaredInputs(gpuVmInputs, inputs) });
}
