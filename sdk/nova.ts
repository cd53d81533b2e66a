import * as pulumi from "@pulumi/pulumi";
import { outputSlots, programConfig } from "./outputSlots";
import type { NovaOffer, NovaPricing } from "../provider/nova/offers";

export type { NovaOffer, NovaPricing };

export interface GpuVmArgs {
  /** The budget guard: check refuses the VM when its price per hour is over this (in `currency`); no request is sent to create it. */
  maxPricePerHour?: pulumi.Input<number>;
  /** Shown as the VM's `instance_label`; defaults to the resource name. Renaming updates in place. */
  name?: pulumi.Input<string>;
  /** `5090`, `4090`, `6000pro` (aliases such as `pro6000`, `RTX 5090` accepted); checked against `/search` at create. */
  gpuType: pulumi.Input<string>;
  gpuCount: pulumi.Input<1 | 2 | 4 | 8>;
  /** Disk size in GB, at least 50. */
  storageGb: pulumi.Input<number>;
  /** Template id (documented: 100–104) or name: `ubuntu-22.04`, `ubuntu-24.04` (default, 101), `stable-diffusion`, `comfyui`, `linux-desktop`. */
  templateVmid?: pulumi.Input<number | string>;
  /** Node id such as `vm01`; omitted: the cheapest available `/search` offer matching gpuType and gpuCount. */
  node?: pulumi.Input<string>;
  rentalType?: pulumi.Input<"on_demand" | "reserved" | "interruptible">;
  /** Required exactly when rentalType is `reserved`. */
  reservationMonths?: pulumi.Input<1 | 3 | 6>;
  authMethod?: pulumi.Input<"ssh_key" | "password">;
  /** Required with authMethod `ssh_key` (Nova would otherwise install the account's oldest key). */
  sshKeyId?: pulumi.Input<string>;
  /** Required exactly when authMethod is `password`; at least 12 characters. Stored as a secret. */
  password?: pulumi.Input<string>;
  /** Restart after preemption (interruptible rentals). */
  autoRestart?: pulumi.Input<boolean>;
  /** `running` or `stopped`, changed in place (POST /vms/{id}/stop or /start, inferred routes); a stopped VM bills only its storage. Omitted: left as it is. */
  powerState?: pulumi.Input<"running" | "stopped">;
  /** How long create waits for the VM to run (default 1800). Pulumi's customTimeouts never reach dynamic providers. */
  createTimeoutSeconds?: pulumi.Input<number>;
  /** How long delete waits for the VM to be destroyed (default 900). */
  deleteTimeoutSeconds?: pulumi.Input<number>;
  /** Id of an existing VM to take over instead of creating one (it must match the immutable inputs). */
  adoptId?: pulumi.Input<string>;
}

const GPU_VM_OUTPUTS = [
  "pricePerHour", "currency", "priceSource", "maxPricePerHour", "powerState",
  "templateVmid", "node", "rentalType", "reservationMonths", "authMethod", "sshKeyId", "password", "autoRestart",
  "createTimeoutSeconds", "deleteTimeoutSeconds", "adoptId",
  "status", "ip", "vmid", "instanceLabel", "hourlyRate", "gpuHourlyRate", "storageHourlyRate", "ramGb", "cpuCores", "reservationId", "createdAt",
] as const;

/** A GPU virtual machine on Nova Cloud. The resource id is Nova's VM uuid. */
export class GpuVm extends pulumi.dynamic.Resource {
  /** What the machine costs per hour (all GPUs) in `currency`; known in preview. */
  declare readonly pricePerHour: pulumi.Output<number | undefined>;
  /** `USD`, or `USDC` on Fluence. */
  declare readonly currency: pulumi.Output<"USD" | "USDC" | undefined>;
  /** `cloud` (the cloud's published offers) or `priceTable` (`gpcn:priceTable`). */
  declare readonly priceSource: pulumi.Output<"cloud" | "priceTable" | undefined>;
  /** The budget guard this VM was declared with. */
  declare readonly maxPricePerHour: pulumi.Output<number | undefined>;
  declare readonly name: pulumi.Output<string>;
  declare readonly gpuType: pulumi.Output<string>;
  declare readonly gpuCount: pulumi.Output<number>;
  declare readonly storageGb: pulumi.Output<number>;
  declare readonly templateVmid: pulumi.Output<number | string>;
  declare readonly node: pulumi.Output<string>;
  declare readonly rentalType: pulumi.Output<string>;
  declare readonly reservationMonths: pulumi.Output<number | undefined>;
  declare readonly authMethod: pulumi.Output<string>;
  declare readonly sshKeyId: pulumi.Output<string | undefined>;
  /** Secret. */
  declare readonly password: pulumi.Output<string | undefined>;
  declare readonly autoRestart: pulumi.Output<boolean | undefined>;
  /** creating, starting, running, stopping, stopped, interrupted, failed, offline. */
  declare readonly status: pulumi.Output<string>;
  declare readonly ip: pulumi.Output<string>;
  declare readonly vmid: pulumi.Output<number>;
  declare readonly instanceLabel: pulumi.Output<string | undefined>;
  /** @deprecated Use `pricePerHour`. USD per hour, all in, as Nova reports the running VM. */
  declare readonly hourlyRate: pulumi.Output<number>;
  declare readonly gpuHourlyRate: pulumi.Output<number>;
  declare readonly storageHourlyRate: pulumi.Output<number>;
  declare readonly ramGb: pulumi.Output<number>;
  declare readonly cpuCores: pulumi.Output<number>;
  declare readonly reservationId: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: GpuVmArgs, opts?: pulumi.CustomResourceOptions) {
    const secretOutputs = pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] });
    super(require("./shims/novaGpuVm"), name, { ...outputSlots(GPU_VM_OUTPUTS), ...args, name: args.name ?? name }, secretOutputs, "nova", "GpuVm");
  }
}

export interface SshKeyArgs {
  /** Nova's key label, at most 100 characters; defaults to the resource name. Nova has no key update: a change replaces the key. */
  name?: pulumi.Input<string>;
  /** OpenSSH public key: ssh-ed25519, ssh-rsa (≥ 2048 bits) or ecdsa-sha2-nistp256. */
  publicKey: pulumi.Input<string>;
  /** Id of a key already in the account to take over instead of uploading. */
  adoptId?: pulumi.Input<string>;
}

/** An SSH key in the Nova account (at most 5 per account). */
export class SshKey extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly publicKey: pulumi.Output<string>;
  declare readonly keyType: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: SshKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      require("./shims/novaSshKey"),
      name,
      { ...outputSlots(["keyType", "fingerprint", "createdAt", "adoptId"]), ...args, name: args.name ?? name },
      opts,
      "nova",
      "SshKey",
    );
  }
}

/** Nova's GPU offers now (`GET /search`; no key needed, `nova:endpoint`/`NOVA_ENDPOINT` honoured). */
export async function getOffers(): Promise<NovaOffer[]> {
  const { getOffers: read } = require("../provider/nova/offers") as typeof import("../provider/nova/offers");
  return read(programConfig());
}

/** Nova's list prices (`GET /pricing`; no key needed): `gpus` maps GPU type → USD per GPU-hour. */
export async function getPricing(): Promise<NovaPricing> {
  const { getPricing: read } = require("../provider/nova/offers") as typeof import("../provider/nova/offers");
  return read(programConfig());
}
