import { z } from "zod";
import { CrossCheck, inputs as commonInputs } from "../core/inputValidation";

// Inputs of gpcn:GpuVm and gpcn:SshKey, checked before any request.

export const gpuVmInputs = z.object({
  name: z.string().min(1).max(255),
  datacenterId: z.string().min(1),
  seriesId: z.string().min(1).optional(),
  seriesCode: z.string().min(1).optional(),
  gpuCount: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], { message: "must be 1, 2, 4 or 8" }),
  sshKeyId: z.string().min(1),
  skuCode: z.string().min(1).optional(),
  imageName: z.enum(["ubuntu-22.04", "ubuntu-24.04"]).default("ubuntu-24.04"),
  resourceGroupId: z.string().min(1).optional(),
  username: z
    .string()
    .min(3)
    .max(20)
    .regex(/^[a-zA-Z_][a-zA-Z0-9_-]*$/, "must start with a letter or _ and contain only letters, digits, _ and -")
    .optional(),
  /** Stop or start the VM in place (provider/gpcn/powerState.ts, the older guide's routes); omitted: left as it is. */
  powerState: z.enum(["running", "stopped"], { message: 'must be "running" or "stopped"' }).optional(),
  createTimeoutSeconds: commonInputs.deadlineSeconds(1800),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
});
export type GpuVmInputs = z.infer<typeof gpuVmInputs>;

export const crossCheckGpuVm: CrossCheck<GpuVmInputs> = (i, known) => {
  if (!known("seriesId") || !known("seriesCode")) return [];
  if (i.seriesId && i.seriesCode) return [{ property: "seriesCode", reason: "set either seriesId or seriesCode, not both" }];
  if (!i.seriesId && !i.seriesCode) return [{ property: "seriesCode", reason: "set seriesId or seriesCode (e.g. h100_series)" }];
  return [];
};

export const OPENSSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;

export const sshKeyInputs = z.object({
  name: z.string().min(1).max(30),
  publicKey: z.string().trim().regex(OPENSSH_PUBLIC_KEY, "must be an OpenSSH public key such as 'ssh-ed25519 AAAA… comment'").optional(),
  algorithm: z.enum(["ed25519", "rsa-4096", "rsa-2048", "ecdsa-p256"]).optional(),
  passphrase: z.string().min(1).optional(),
});
export type SshKeyInputs = z.infer<typeof sshKeyInputs>;

export const crossCheckSshKey: CrossCheck<SshKeyInputs> = (i, known) => {
  if (!known("publicKey") || !known("algorithm")) return [];
  if (i.publicKey && i.algorithm) return [{ property: "algorithm", reason: "set either publicKey (upload) or algorithm (generate), not both" }];
  if (!i.publicKey && !i.algorithm) return [{ property: "publicKey", reason: "set publicKey to upload a key, or algorithm to have GPCN generate one" }];
  if (i.passphrase && !i.algorithm) return [{ property: "passphrase", reason: "only applies when GPCN generates the key (algorithm)" }];
  return [];
};
