import { z } from "zod";
import { CrossCheck, inputs as commonInputs } from "../core/inputValidation";
import { NOVA_TEMPLATES, templateId } from "./templates";
import { rsaKeyBits } from "../core/sshPublicKeyText";

// Inputs of nova:GpuVm and nova:SshKey, checked before any request.

const oneOf = <T extends number>(values: T[], message: string) =>
  z.union(values.map((v) => z.literal(v)) as unknown as [z.ZodLiteral<T>, z.ZodLiteral<T>], { message });

export const gpuVmInputs = z.object({
  /** Kept as the VM's `instance_label` (Nova's create has no name field). */
  name: z.string().min(1).max(100),
  gpuType: z.string().trim().min(1),
  gpuCount: oneOf([1, 2, 4, 8], "must be 1, 2, 4 or 8"),
  storageGb: z.number().int().min(50, "must be at least 50 (GB)"),
  templateVmid: z
    .union([z.number().int().positive(), z.string().min(1)])
    .refine((v) => templateId(v) !== undefined, { message: `must be a template id or one of ${Object.keys(NOVA_TEMPLATES).join(", ")}` })
    .default(101),
  node: z.string().min(1).optional(),
  rentalType: z.enum(["on_demand", "reserved", "interruptible"]).default("on_demand"),
  reservationMonths: oneOf([1, 3, 6], "must be 1, 3 or 6").optional(),
  authMethod: z.enum(["ssh_key", "password"]).default("ssh_key"),
  sshKeyId: z.string().min(1).optional(),
  password: z.string().min(12, "must be at least 12 characters").optional(),
  autoRestart: z.boolean().optional(),
  /** Stop or start the VM in place (provider/nova/powerState.ts); omitted: left as it is. */
  powerState: z.enum(["running", "stopped"], { message: 'must be "running" or "stopped"' }).optional(),
  createTimeoutSeconds: commonInputs.deadlineSeconds(1800),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
});
export type GpuVmInputs = z.infer<typeof gpuVmInputs>;

export const crossCheckGpuVm: CrossCheck<GpuVmInputs> = (i, known) => {
  const failures: { property: string; reason: string }[] = [];
  if (known("rentalType") && known("reservationMonths")) {
    if (i.rentalType === "reserved" && i.reservationMonths === undefined) failures.push({ property: "reservationMonths", reason: "is required when rentalType is reserved (1, 3 or 6)" });
    if (i.rentalType !== "reserved" && i.reservationMonths !== undefined) failures.push({ property: "reservationMonths", reason: "only applies when rentalType is reserved" });
  }
  if (known("authMethod") && known("password")) {
    if (i.authMethod === "password" && i.password === undefined) failures.push({ property: "password", reason: "is required when authMethod is password (at least 12 characters)" });
    if (i.authMethod !== "password" && i.password !== undefined) failures.push({ property: "password", reason: "only applies when authMethod is password" });
  }
  if (known("authMethod") && known("sshKeyId")) {
    if (i.authMethod === "ssh_key" && i.sshKeyId === undefined) failures.push({ property: "sshKeyId", reason: "is required when authMethod is ssh_key (Nova would otherwise install the account's oldest key)" });
    if (i.authMethod === "password" && i.sshKeyId !== undefined) failures.push({ property: "sshKeyId", reason: "only applies when authMethod is ssh_key" });
  }
  return failures;
};

/** Documented: ssh-ed25519, ssh-rsa ≥ 2048 bits, ecdsa-sha2-nistp256. */
const KEY_LINE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) [A-Za-z0-9+/]+={0,3}( .*)?$/;

export const sshKeyInputs = z.object({
  /** Nova's `label`. */
  name: z.string().min(1).max(100),
  publicKey: z
    .string()
    .trim()
    .max(16_000)
    .regex(KEY_LINE, "must be an OpenSSH public key of type ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256")
    .refine((k) => !k.startsWith("ssh-rsa ") || (rsaKeyBits(k) ?? 0) >= 2048, { message: "RSA keys must be at least 2048 bits" }),
});
export type SshKeyInputs = z.infer<typeof sshKeyInputs>;
