import * as pulumi from "@pulumi/pulumi";
import { outputSlots, programConfig } from "./outputSlots";
import type { FluenceGpuModel, FluencePlanGroup, FluencePlanOption } from "../provider/fluence/plans";

export type { FluenceGpuModel, FluencePlanGroup, FluencePlanOption };

export interface GpuVmArgs {
  /** Only `running`: Fluence's API cannot stop an instance, so `stopped` is refused at check. */
  powerState?: pulumi.Input<"running">;
  /** Instance name, 1–25 lowercase letters, digits and hyphens; defaults to the resource name. Renaming updates in place. */
  name?: pulumi.Input<string>;
  /** `vm` (default) or `baremetal`. */
  kind?: pulumi.Input<"vm" | "baremetal">;
  /** An option id from `fluence.getPlans()`; or use a selection (`gpuModel` + `gpuCount`). */
  planId?: pulumi.Input<string>;
  /** GPU model such as `h200`: deploys the cheapest matching option at create. */
  gpuModel?: pulumi.Input<string>;
  gpuCount?: pulumi.Input<number>;
  /** Narrows a selection to one location, e.g. `us-central-3`. */
  location?: pulumi.Input<string>;
  /** Narrows a selection to options at or under this hourly price. */
  maxPricePerHour?: pulumi.Input<number>;
  /** One of the chosen option's OS images (`osImages` in `getPlans()`); checked before deploying. */
  osImage: pulumi.Input<string>;
  /** Raw OpenSSH public key text, e.g. a `fluence.SshKey`'s `publicKey`. */
  sshPublicKey: pulumi.Input<string>;
  /** How long create waits for ACTIVE (default 900). Pulumi's customTimeouts never reach dynamic providers. */
  createTimeoutSeconds?: pulumi.Input<number>;
  /** How long delete may wait, including for an INITIALIZED instance to become ACTIVE (default 900). */
  deleteTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over an existing instance with this id instead of deploying one (`pulumi import` does not
   * work for dynamic resources). It must match every input that cannot change in place (kind, GPU
   * model and count, location, OS image, SSH key; planId while the option is still offered); the
   * name is then set as declared. `pulumi destroy` terminates it.
   */
  adoptId?: pulumi.Input<string>;
}

const GPU_VM_OUTPUTS = [
  "pricePerHour", "currency", "priceSource", "maxPricePerHour", "powerState",
  "kind", "planId", "gpuModel", "gpuCount", "location", "maxPricePerHour", "createTimeoutSeconds", "deleteTimeoutSeconds",
  "status", "ip", "sshConnection", "pricePerHour", "currency", "plan", "billing", "createdAt",
] as const;

/** A GPU VM or bare-metal server on Fluence. The resource id is the Fluence instance id. */
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
  declare readonly kind: pulumi.Output<"vm" | "baremetal">;
  declare readonly planId: pulumi.Output<string>;
  declare readonly gpuModel: pulumi.Output<string>;
  declare readonly gpuCount: pulumi.Output<number>;
  declare readonly location: pulumi.Output<string>;
  declare readonly osImage: pulumi.Output<string>;
  declare readonly sshPublicKey: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** Public IP (Fluence's `domain`). */
  declare readonly ip: pulumi.Output<string | undefined>;
  /** e.g. `ssh ubuntu@203.0.113.10`. */
  declare readonly sshConnection: pulumi.Output<string | undefined>;
  declare readonly plan: pulumi.Output<{
    provider?: string; deploymentType?: string; gpuVendor?: string; gpuModel?: string; vram?: string; interface?: string;
    vcpu?: number; memoryGi?: number; storageGi?: number; nvlink?: boolean;
  }>;
  declare readonly billing: pulumi.Output<{ hourlyUsage?: number; totalSpendings?: number; reservedAmount?: number; nextBillingPeriod?: string }>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: GpuVmArgs, opts?: pulumi.CustomResourceOptions) {
    super(require("./shims/fluenceGpuVm"), name, { ...outputSlots(GPU_VM_OUTPUTS), ...args, name: args.name ?? name }, opts, "fluence", "GpuVm");
  }
}

export interface SshKeyArgs {
  /** Name in the Fluence key library; defaults to the resource name. Changing it replaces the key (no rename API). */
  name?: pulumi.Input<string>;
  /** OpenSSH public key (ed25519, RSA or ECDSA). If the library already holds it, it is adopted. */
  publicKey: pulumi.Input<string>;
  /** Take over the key in the library with this id; its key material must match. Its library name is kept (`libraryName`). */
  adoptId?: pulumi.Input<string>;
}

/** An SSH key in the Fluence account key library (`/v1/ssh_keys`). */
export class SshKey extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly publicKey: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly algorithm: pulumi.Output<string>;
  /** The name the library holds the key under (differs from `name` when an existing key was adopted). */
  declare readonly libraryName: pulumi.Output<string>;

  constructor(name: string, args: SshKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      require("./shims/fluenceSshKey"),
      name,
      { ...outputSlots(["fingerprint", "algorithm", "libraryName"]), ...args, name: args.name ?? name },
      opts,
      "fluence",
      "SshKey",
    );
  }
}

/** Fluence's offers now (`kind` vm by default, or baremetal). Uses `fluence:apiKey`/`FLUENCE_API_KEY`. */
export async function getPlans(args: { kind?: "vm" | "baremetal" } = {}): Promise<FluencePlanGroup[]> {
  const { getPlans: read } = require("../provider/fluence/plans") as typeof import("../provider/fluence/plans");
  return read(programConfig(), args);
}
