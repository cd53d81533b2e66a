import { z } from "zod";
import { priceOutputs } from "../core/pricing";
import { compact } from "../core/compact";
import { declaredInputs } from "../core/resourceHandler";
import { gpuVmInputs, sshKeyInputs } from "./inputs";
import { NovaVm } from "./schemas";
import { NovaSshKey } from "./schemas";
import { powerStateOf, stoppedPricePerHour } from "./powerState";

// State of nova:GpuVm and nova:SshKey beyond their declared inputs (gpuVmOutputsOf below and
// sshKey.ts), plus the inputs kept secret in state, with types, descriptions and secret marks.
// The package schema (provider/schema) reads these: an input is secret when its namesake here is.

export const gpuVmOutputs = z.object({
  status: z.string().describe("creating, starting, running, stopping, stopped, interrupted, failed or offline."),
  ip: z.string().optional().describe("Public IP address."),
  vmid: z.number().int().optional().describe("Nova's numeric VM id."),
  instanceLabel: z.string().optional().describe("The label Nova shows (the `name`)."),
  hourlyRate: z.number().optional().describe("USD per hour, all in, as Nova reports the running VM. Deprecated: use `pricePerHour`."),
  gpuHourlyRate: z.number().optional().describe("USD per hour for the GPUs."),
  storageHourlyRate: z.number().optional().describe("USD per hour for the disk."),
  ramGb: z.number().optional(),
  cpuCores: z.number().optional(),
  reservationId: z.string().optional().describe("Set for reserved rentals."),
  createdAt: z.string().optional().describe("ISO time the VM was created."),
  password: z.string().optional().meta({ secret: true }).describe("The input, kept secret in state."),
  ...priceOutputs,
});

export const sshKeyOutputs = z.object({
  keyType: z.string().optional().describe("ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256."),
  fingerprint: z.string().optional(),
  createdAt: z.string().optional(),
});

/** One `nova:getOffers` row (`GET /search`, provider/nova/schemas.ts offerSchema). */
export const offer = z.object({
  node: z.string().optional().describe("Use as a GpuVm's `node`."),
  gpuType: z.string(),
  gpuCount: z.number().optional(),
  gpuRamMb: z.number().optional(),
  gpuPriceHourly: z.number().optional().describe("USD per GPU-hour."),
  interruptibleRate: z.number().optional().describe("USD per GPU-hour for interruptible rentals."),
  available: z.boolean(),
  location: z.string().optional(),
  cpuCores: z.number().optional(),
  ramGb: z.number().optional(),
});

/** A VM as Nova shows it, as state. */
export function gpuVmOutputsOf(inputs: Record<string, unknown>, vm: NovaVm | undefined, previous: Record<string, unknown> = {}) {
  // Declared inputs stay as declared (no perpetual diff from Nova's spellings); the rest comes from Nova.
  const fromCloud: Record<string, unknown> = vm
    ? {
        node: vm.node,
        autoRestart: vm.autoRestart,
        status: vm.status,
        ip: vm.ip,
        vmid: vm.vmid,
        instanceLabel: vm.label,
        hourlyRate: vm.hourlyRate,
        gpuHourlyRate: vm.gpuHourlyRate,
        storageHourlyRate: vm.storageHourlyRate,
        ramGb: vm.ramGb,
        cpuCores: vm.cpuCores,
        reservationId: vm.reservationId,
        createdAt: vm.createdAt,
      }
    : {};
  const outs = compact({ ...previous, ...compact(fromCloud), ...declaredInputs(gpuVmInputs, inputs) });
  // What the VM costs now, as Nova bills it (nova.md §8): its storage while stopped, its GPUs while running.
  const now = stoppedPricePerHour(vm) ?? (powerStateOf(vm) === "running" ? vm!.gpuHourlyRate : undefined);
  return typeof now === "number" ? { ...outs, pricePerHour: now, currency: "USD", priceSource: "cloud" } : outs;
}

/** A key as the cloud shows it, as state. */
export function sshKeyOutputsOf(inputs: Record<string, unknown>, key: NovaSshKey | undefined, previous: Record<string, unknown> = {}) {
  // Nova never returns the public key text: it stays as declared.
  const fromCloud = key ? { keyType: key.keyType, fingerprint: key.fingerprint, createdAt: key.createdAt } : {};
  return compact<Record<string, unknown>>({ ...previous, ...fromCloud, ...declaredInputs(sshKeyInputs, inputs) });
}
