import { z } from "zod";
import { priceOutputs } from "../core/pricing";

// State of fluence:GpuVm and fluence:SshKey beyond their declared inputs (outputsOf in gpuVm.ts
// and sshKey.ts), with types and descriptions. The package schema (provider/schema) reads these.

export const gpuVmOutputs = z.object({
  status: z.string().describe("Fluence's instance status, e.g. `ACTIVE`."),
  ip: z.string().optional().describe("Public IP (Fluence's `domain`)."),
  sshConnection: z.string().optional().describe("e.g. `ssh ubuntu@203.0.113.10`."),
  plan: z
    .object({
      provider: z.string().optional(),
      deploymentType: z.string().optional(),
      gpuVendor: z.string().optional(),
      gpuModel: z.string().optional(),
      vram: z.string().optional(),
      interface: z.string().optional(),
      vcpu: z.number().optional(),
      memoryGi: z.number().optional(),
      storageGi: z.number().optional(),
      nvlink: z.boolean().optional(),
    })
    .optional()
    .describe("The option the instance was deployed on."),
  billing: z
    .object({
      hourlyUsage: z.number().optional(),
      totalSpendings: z.number().optional(),
      reservedAmount: z.number().optional(),
      nextBillingPeriod: z.string().optional(),
    })
    .optional(),
  createdAt: z.string().optional(),
  ...priceOutputs,
});

export const sshKeyOutputs = z.object({
  fingerprint: z.string().optional(),
  algorithm: z.string().optional(),
  libraryName: z.string().optional().describe("The name the library holds the key under (differs from `name` when an existing key was adopted)."),
});

/** One option of `fluence:getPlans` (provider/fluence/schemas.ts planOptionSchema). */
export const planOption = z.object({
  id: z.string().describe("Use as a GpuVm's `planId`."),
  location: z.string().optional(),
  provider: z.string().optional(),
  vcpu: z.number().optional(),
  memoryGi: z.number().optional(),
  storageGi: z.number().optional(),
  deploymentType: z.string().optional(),
  pricePerHour: z.number().optional(),
  upfrontHours: z.number().describe("Hours of the price reserved at deploy."),
  currency: z.string(),
  nvlink: z.boolean().optional(),
  osImages: z.array(z.string()).describe("A GpuVm's `osImage` must be one of these."),
});

/** One `fluence:getPlans` row: a GPU model with its offers by GPU count (planGroupSchema). */
export const planGroup = z.object({
  gpuModel: z.object({ vendor: z.string().optional(), model: z.string(), vram: z.string().optional(), interface: z.string().optional() }),
  minimumPrice: z.number().optional(),
  counts: z.array(
    z.object({
      gpuCount: z.number(),
      minimumPrice: z.number().optional(),
      locations: z.array(z.string()),
      providers: z.array(z.string()),
      options: z.array(planOption),
    }),
  ),
});
