import { z } from "zod";
import { CrossCheck, inputs as commonInputs } from "../core/inputValidation";
import { FLUENCE_PUBLIC_KEY, PUBLIC_KEY_MESSAGE } from "./publicKeyFormat";

// Inputs of fluence:GpuVm and fluence:SshKey, checked before any request.

/** Fluence's instance-name rule (shared/api/fluence.md §6). */
export const INSTANCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,23}[a-z0-9])?$/;

export const gpuVmInputs = z.object({
  name: z.string().regex(INSTANCE_NAME, "must be 1–25 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen"),
  kind: z.enum(["vm", "baremetal"], { message: 'must be "vm" or "baremetal"' }).default("vm"),
  planId: z.string().min(1).optional(),
  gpuModel: z.string().min(1).optional(),
  gpuCount: z.number().int().min(1).optional(),
  location: z.string().min(1).optional(),
  maxPricePerHour: z.number().positive().optional(),
  osImage: z.string().min(1),
  sshPublicKey: z.string().trim().regex(FLUENCE_PUBLIC_KEY, PUBLIC_KEY_MESSAGE),
  /** Fluence's API has no stop or start (fluence.md §8): only "running" is accepted, so a stop is refused at check. */
  powerState: z.literal("running", { message: 'Fluence has no power control (its API cannot stop or start an instance): only "running"' }).optional(),
  createTimeoutSeconds: commonInputs.deadlineSeconds(900),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
});
export type GpuVmInputs = z.infer<typeof gpuVmInputs>;

export const crossCheckGpuVm: CrossCheck<GpuVmInputs> = (i, known) => {
  if (!known("planId") || !known("gpuModel") || !known("gpuCount")) return [];
  if (i.planId && (i.gpuModel || i.gpuCount)) return [{ property: "planId", reason: "set planId, or a selection (gpuModel and gpuCount), not both" }];
  // maxPricePerHour is also the budget guard (core/pricing.ts), so it may go with planId.
  if (i.planId && i.location) {
    return [{ property: "location", reason: "only narrows a selection (gpuModel and gpuCount); planId already names one option" }];
  }
  if (!i.planId && !i.gpuModel && !i.gpuCount) {
    return [{ property: "planId", reason: "set planId (an option id from fluence.getPlans()), or gpuModel and gpuCount to deploy the cheapest matching option" }];
  }
  if (!i.planId && !i.gpuModel) return [{ property: "gpuModel", reason: "is required with gpuCount (e.g. h200)" }];
  if (!i.planId && !i.gpuCount) return [{ property: "gpuCount", reason: "is required with gpuModel" }];
  return [];
};

export const sshKeyInputs = z.object({
  name: z.string().min(1).max(255),
  publicKey: z.string().trim().regex(FLUENCE_PUBLIC_KEY, PUBLIC_KEY_MESSAGE),
});
export type SshKeyInputs = z.infer<typeof sshKeyInputs>;
