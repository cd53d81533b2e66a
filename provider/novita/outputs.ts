import { z } from "zod";
import { priceOutputs } from "../core/pricing";

// State of novita:GpuVm beyond its declared inputs (outputsOf in gpuVm.ts), plus the inputs kept
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
