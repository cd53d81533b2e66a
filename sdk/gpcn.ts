import * as pulumi from "@pulumi/pulumi";
import { outputSlots, programConfig } from "./outputSlots";
import type { GpcnOffer } from "../provider/gpcn/inventory";

export type { GpcnOffer };

export interface GpuVmArgs {
  /** The budget guard: check refuses the VM when its price per hour is over this (in `currency`); no request is sent to create it. */
  maxPricePerHour?: pulumi.Input<number>;
  /** VM name; defaults to the resource name. Renaming updates in place. */
  name?: pulumi.Input<string>;
  datacenterId: pulumi.Input<string>;
  /** Series uuid from the inventory; or use `seriesCode`. */
  seriesId?: pulumi.Input<string>;
  /** Series code or name such as `h100_series`, resolved through the inventory at create. */
  seriesCode?: pulumi.Input<string>;
  gpuCount: pulumi.Input<1 | 2 | 4 | 8>;
  /** Id of a key in the GPCN key library (e.g. a `gpcn.SshKey`'s id). */
  sshKeyId: pulumi.Input<string>;
  /** Omit to let GPCN pick the cheapest SKU. */
  skuCode?: pulumi.Input<string>;
  imageName?: pulumi.Input<"ubuntu-22.04" | "ubuntu-24.04">;
  resourceGroupId?: pulumi.Input<string>;
  username?: pulumi.Input<string>;
  /** `running` or `stopped`, changed in place through the older guide's single-VM start/stop; a start GPCN cannot make (501) fails and the VM stays stopped. Omitted: left as it is. */
  powerState?: pulumi.Input<"running" | "stopped">;
  /** How long create waits for the VM to run (default 1800). Pulumi's customTimeouts never reach dynamic providers. */
  createTimeoutSeconds?: pulumi.Input<number>;
  /** How long delete waits for the deletion job (default 900). */
  deleteTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over an existing VM with this id instead of creating one (`pulumi import` does not work
   * for dynamic resources). It must match every input that cannot change in place; name,
   * resource group and username are then set as declared. `pulumi destroy` deletes it.
   */
  adoptId?: pulumi.Input<string>;
}

const GPU_VM_OUTPUTS = [
  "pricePerHour", "currency", "priceSource", "maxPricePerHour", "powerState",
  "seriesId", "seriesCode", "skuCode", "imageName", "resourceGroupId", "username", "createTimeoutSeconds", "deleteTimeoutSeconds",
  "status", "ip", "image", "jupyterUrl", "sshKeyName", "resourceGroupName", "createdAt", "configuration", "datacenter",
] as const;

/** A GPU virtual machine on GPCN. The resource id is the GPCN VM id. */
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
  declare readonly datacenterId: pulumi.Output<string>;
  declare readonly seriesId: pulumi.Output<string>;
  declare readonly seriesCode: pulumi.Output<string>;
  declare readonly gpuCount: pulumi.Output<number>;
  declare readonly sshKeyId: pulumi.Output<string>;
  declare readonly skuCode: pulumi.Output<string>;
  declare readonly imageName: pulumi.Output<string>;
  declare readonly resourceGroupId: pulumi.Output<string>;
  declare readonly username: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly ip: pulumi.Output<string>;
  declare readonly image: pulumi.Output<string>;
  declare readonly jupyterUrl: pulumi.Output<string | undefined>;
  declare readonly configuration: pulumi.Output<{ name?: string; code?: string; gpuCount?: number; cpu?: number; ramGiB?: number; diskGb?: number; skuCode?: string }>;
  declare readonly datacenter: pulumi.Output<{ id?: string; name?: string; region?: string; country?: string }>;
  /** Name of the installed key in the GPCN key library. */
  declare readonly sshKeyName: pulumi.Output<string | undefined>;
  declare readonly resourceGroupName: pulumi.Output<string | undefined>;
  /** ISO time the VM was created. */
  declare readonly createdAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: GpuVmArgs, opts?: pulumi.CustomResourceOptions) {
    super(require("./shims/gpcnGpuVm"), name, { ...outputSlots(GPU_VM_OUTPUTS), ...args, name: args.name ?? name }, opts, "gpcn", "GpuVm");
  }
}

export interface SshKeyArgs {
  /** Key name in the GPCN key library, 1–30 characters; defaults to the resource name. Renaming updates in place. */
  name?: pulumi.Input<string>;
  /** Upload this OpenSSH public key… */
  publicKey?: pulumi.Input<string>;
  /** …or have GPCN generate a pair; the private key is returned once, as the secret output `privateKey`. */
  algorithm?: pulumi.Input<"ed25519" | "rsa-4096" | "rsa-2048" | "ecdsa-p256">;
  /** Encrypts a generated private key. */
  passphrase?: pulumi.Input<string>;
  /** Take over an existing key in the library with this id; its key material must match. */
  adoptId?: pulumi.Input<string>;
}

/** An SSH key in the GPCN key library. */
export class SshKey extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly publicKey: pulumi.Output<string>;
  declare readonly algorithm: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;
  /** Only for generated keys; secret. */
  declare readonly privateKey: pulumi.Output<string | undefined>;

  constructor(name: string, args: SshKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const secretOutputs = pulumi.mergeOptions(opts, { additionalSecretOutputs: ["privateKey", "passphrase"] });
    super(
      require("./shims/gpcnSshKey"),
      name,
      { ...outputSlots(["publicKey", "algorithm", "fingerprint", "privateKey"]), ...args, name: args.name ?? name },
      secretOutputs,
      "gpcn",
      "SshKey",
    );
  }
}

/** GPCN's GPU stock now: one row per series, datacenter and GPU count. Uses `gpcn:apiKey`/`GPCN_API_KEY`. */
export async function getInventory(): Promise<GpcnOffer[]> {
  const { getInventory: read } = require("../provider/gpcn/inventory") as typeof import("../provider/gpcn/inventory");
  return read(programConfig());
}
