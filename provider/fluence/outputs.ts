import { z } from "zod";
import { priceOutputs } from "../core/pricing";
import { compact } from "../core/compact";
import { declaredInputs } from "../core/resourceHandler";
import { gpuVmInputs, sshKeyInputs } from "./inputs";
import { ChosenOption } from "./planSelection";
import { gpuVmRules } from "./rules";
import { FluenceInstance } from "./schemas";
import { FluenceSshKey } from "./schemas";

// State of fluence:GpuVm and fluence:SshKey beyond their declared inputs (gpuVmOutputsOf below
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

// Inputs the user may drop without a change (the cloud filled them in) are carried over from
// earlier outputs; others are not, or a removed input would linger and diff forever.
const carriedInputs = new Set(Object.entries(gpuVmRules.fields).filter(([, r]) => r.cloudDefault).map(([k]) => k));
function carried(previous: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(previous).filter(([k]) => !(k in gpuVmInputs.shape) || carriedInputs.has(k)));
}

function planOutputs(chosen: ChosenOption | undefined) {
  if (!chosen) return {};
  const o = chosen.option;
  return {
    planId: o.id,
    location: o.location,
    gpuModel: chosen.gpuModel.model,
    gpuCount: chosen.gpuCount,
    pricePerHour: o.pricePerHour,
    currency: o.currency,
    plan: compact({
      provider: o.provider,
      deploymentType: o.deploymentType,
      gpuVendor: chosen.gpuModel.vendor,
      gpuModel: chosen.gpuModel.model,
      vram: chosen.gpuModel.vram,
      interface: chosen.gpuModel.interface,
      vcpu: o.vcpu,
      memoryGi: o.memoryGi,
      storageGi: o.storageGi,
      nvlink: o.nvlink,
    }),
  };
}

function instanceOutputs(i: FluenceInstance | undefined) {
  if (!i) return {};
  return {
    status: i.status,
    ip: i.ip,
    sshConnection: i.sshConnection,
    location: i.location,
    gpuModel: i.gpuModel?.model,
    gpuCount: i.gpuCount,
    createdAt: i.createdAt,
    billing: i.billing ? compact(i.billing) : undefined,
  };
}

/** Declared inputs as declared, then what the cloud filled in (status, ip, the resolved plan, billing). */
export function gpuVmOutputsOf(inputs: Record<string, unknown>, i: FluenceInstance | undefined, chosen?: ChosenOption, previous: Record<string, unknown> = {}): Record<string, unknown> {
  return compact({ ...carried(previous), ...compact(planOutputs(chosen)), ...compact(instanceOutputs(i)), ...declaredInputs(gpuVmInputs, inputs) });
}

/** A key as the cloud shows it, as state. */
export function sshKeyOutputsOf(inputs: Record<string, unknown>, key: FluenceSshKey) {
  const fromCloud = { fingerprint: key.fingerprint, algorithm: key.algorithm, libraryName: key.name };
  return compact<Record<string, unknown>>({ ...fromCloud, ...declaredInputs(sshKeyInputs, inputs) });
}
