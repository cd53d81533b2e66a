import * as pulumi from "@pulumi/pulumi";
import { outputSlots, programConfig } from "./outputSlots";
import type { ProductFilter } from "../provider/novita/client";
import type { BillingMode, NovitaCluster, NovitaProduct } from "../provider/novita/products";

// Novita has NO SSH-key API (keys are added in its console only), so there is no `novita.SshKey`.
// Reach an instance with its `sshCommand` output and the secret `sshPassword` output, or the web
// terminal (`webTerminalAddress`, `webTerminalUsername`, secret `webTerminalPassword`).

export type { BillingMode, NovitaCluster, NovitaProduct, ProductFilter };

export interface PortArgs {
  /** 1–65535; 2222–2224 are reserved by Novita. */
  port: number;
  type: "tcp" | "http";
}

export interface GpuVmArgs {
  /** `running` or `stopped`, changed in place (POST /gpu/instance/stop or /start); a stopped instance keeps its data only 7 days and may not start again for lack of capacity. Omitted: left as it is. */
  powerState?: pulumi.Input<"running" | "stopped">;
  /** The budget guard: check refuses the VM when its price per hour is over this (in `currency`); no request is sent to create it. */
  maxPricePerHour?: pulumi.Input<number>;
  /** Instance name; defaults to the resource name. Novita cannot rename: a new name REPLACES the instance. */
  name?: pulumi.Input<string>;
  /** Product id from `novita.getProducts()`, e.g. `4090.16c62g`; or use `productName`. */
  productId?: pulumi.Input<string>;
  /** A GPU name such as "RTX 4090": the cheapest deployable product is chosen at create. */
  productName?: pulumi.Input<string>;
  /** 1–8 GPUs (sent as `gpuNum`). */
  gpuCount: pulumi.Input<number>;
  /** Root disk in GB, 10–6144 and within the product's limit. Growing it is in place; shrinking replaces. */
  rootfsSize: pulumi.Input<number>;
  /** Container image. Changing it resets the instance (in place, through upgrade). */
  imageUrl: pulumi.Input<string>;
  /** Registry credentials "user:password", sent at create only; secret. */
  imageAuth?: pulumi.Input<string>;
  /** Id of registry credentials saved at Novita. */
  imageAuthId?: pulumi.Input<string>;
  /** Exposed ports; changed in place without a restart. Ports and tools together ≤ 15. */
  ports?: pulumi.Input<pulumi.Input<PortArgs>[]>;
  /** Up to 100 environment variables; changing them resets the instance. */
  envs?: pulumi.Input<pulumi.Input<{ key: string; value: string }>[]>;
  /** Novita's tools; only Jupyter exists. */
  tools?: pulumi.Input<pulumi.Input<{ name: "Jupyter"; port: number; type: "tcp" | "http" }>[]>;
  command?: pulumi.Input<string>;
  entrypoint?: pulumi.Input<string>;
  /** Cluster (region) from `novita.getClusters()`; omitted: Novita picks one. */
  clusterId?: pulumi.Input<string>;
  /** Network volumes; changing them resets the instance. */
  networkStorages?: pulumi.Input<pulumi.Input<{ id: string; mountPoint?: string }>[]>;
  /** VPC network id. */
  networkId?: pulumi.Input<string>;
  kind?: pulumi.Input<"gpu" | "cpu">;
  billingMode?: pulumi.Input<BillingMode>;
  /** Months of a monthly subscription (needs billingMode "monthly"). */
  month?: pulumi.Input<number>;
  /** Monthly instances only; changed in place. */
  autoRenew?: pulumi.Input<boolean>;
  /** 1–12; needs autoRenew. */
  autoRenewMonth?: pulumi.Input<number>;
  /** e.g. "12.4". */
  minCudaVersion?: pulumi.Input<string>;
  /** How long create (and an update that resets) waits for `running` (default 1800). Pulumi's customTimeouts never reach dynamic providers. */
  createTimeoutSeconds?: pulumi.Input<number>;
  /** How long delete waits for `removed` (default 900). */
  deleteTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over an existing instance with this id instead of creating one (`pulumi import` does not
   * work for dynamic resources). It must match every input Novita cannot change without a new
   * instance or a reset: name (no rename), product, GPUs, cluster, kind, billing, tools, and image,
   * envs, command, entrypoint and network volumes (changing those resets). Ports, root-disk growth
   * and auto-renewal are then set as declared. `pulumi destroy` deletes it.
   */
  adoptId?: pulumi.Input<string>;
}

const GPU_VM_OUTPUTS = [
  "pricePerHour", "currency", "priceSource", "maxPricePerHour", "powerState",
  "productId", "productName", "imageAuth", "imageAuthId", "ports", "envs", "tools", "command", "entrypoint", "clusterId",
  "networkStorages", "networkId", "kind", "billingMode", "month", "autoRenew", "autoRenewMonth", "minCudaVersion",
  "createTimeoutSeconds", "deleteTimeoutSeconds",
  "status", "clusterName", "ip", "portMappings", "sshCommand", "sshPassword", "webTerminalAddress", "webTerminalUsername",
  "webTerminalPassword", "jupyterAddress", "cpuCount", "memoryGb", "endTime", "spotStatus", "spotReclaimTime", "createdAt",
  "pricePerGpuHourUsd", "pricePerHourUsd",
] as const;

/** Outputs Novita returns in the clear that must not be: marked secret in state and in `pulumi stack output`. */
const SECRET_OUTPUTS = ["sshPassword", "webTerminalPassword", "imageAuth"];

/**
 * A GPU instance on Novita AI (GPU instance API v1). The resource id is the Novita instance id.
 * There is no `novita.SshKey`: Novita has no SSH-key API; use `sshCommand` and the secret `sshPassword`.
 */
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
  declare readonly productId: pulumi.Output<string>;
  declare readonly gpuCount: pulumi.Output<number>;
  declare readonly rootfsSize: pulumi.Output<number>;
  declare readonly imageUrl: pulumi.Output<string>;
  declare readonly ports: pulumi.Output<PortArgs[] | undefined>;
  declare readonly clusterId: pulumi.Output<string>;
  declare readonly clusterName: pulumi.Output<string | undefined>;
  declare readonly billingMode: pulumi.Output<BillingMode>;
  declare readonly status: pulumi.Output<string>;
  declare readonly ip: pulumi.Output<string | undefined>;
  declare readonly portMappings: pulumi.Output<Array<{ port?: number; endpoint?: string; type?: string }>>;
  /** e.g. `ssh root@host -p 31022`. */
  declare readonly sshCommand: pulumi.Output<string | undefined>;
  /** Secret. */
  declare readonly sshPassword: pulumi.Output<string | undefined>;
  declare readonly webTerminalAddress: pulumi.Output<string | undefined>;
  declare readonly webTerminalUsername: pulumi.Output<string | undefined>;
  /** Secret. */
  declare readonly webTerminalPassword: pulumi.Output<string | undefined>;
  declare readonly jupyterAddress: pulumi.Output<string | undefined>;
  declare readonly cpuCount: pulumi.Output<number | undefined>;
  declare readonly memoryGb: pulumi.Output<number | undefined>;
  /** ISO time a monthly instance ends; unset for pay-as-you-go. */
  declare readonly endTime: pulumi.Output<string | undefined>;
  /** USD per GPU-hour in the instance's billing mode, from Novita's product list at create. */
  declare readonly pricePerGpuHourUsd: pulumi.Output<number | undefined>;
  /** @deprecated Use `pricePerHour`. pricePerGpuHourUsd × gpuCount. */
  declare readonly pricePerHourUsd: pulumi.Output<number | undefined>;
  declare readonly spotStatus: pulumi.Output<string | undefined>;
  /** ISO time a spot instance will be reclaimed, when announced. */
  declare readonly spotReclaimTime: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: GpuVmArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      require("./shims/novitaGpuVm"),
      name,
      { ...outputSlots(GPU_VM_OUTPUTS), ...args, name: args.name ?? name },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: SECRET_OUTPUTS }),
      "novita",
      "GpuVm",
    );
  }
}

/** Novita's GPU products now (prices in USD per GPU-hour), with the documented `/products` filters. Uses `novita:apiKey`/`NOVITA_API_KEY`. */
export async function getProducts(filter: ProductFilter = {}): Promise<NovitaProduct[]> {
  const { getProducts: read } = require("../provider/novita/products") as typeof import("../provider/novita/products");
  return read(programConfig(), filter);
}

/** Novita's clusters (regions) and the GPU types each offers. */
export async function getClusters(): Promise<NovitaCluster[]> {
  const { getClusters: read } = require("../provider/novita/products") as typeof import("../provider/novita/products");
  return read(programConfig());
}

/**
 * The cheapest product that can be deployed now for a GPU name and count, or undefined. Pin the
 * result's `id` in config: choosing again on every run could pick another product, which replaces.
 */
export async function getCheapestProduct(want: { productName: string; gpuCount: number; billingMode?: BillingMode; clusterId?: string; rootfsSize?: number }): Promise<NovitaProduct | undefined> {
  const { getCheapestProduct: pick } = require("../provider/novita/products") as typeof import("../provider/novita/products");
  return pick(programConfig(), want);
}

/** Picks from a list you already have (e.g. filtered by `getProducts()`), offline. */
export function cheapestProduct(products: NovitaProduct[], want: { billingMode?: BillingMode; rootfsSize?: number } = {}): NovitaProduct | undefined {
  const { cheapestProduct: pick } = require("../provider/novita/products") as typeof import("../provider/novita/products");
  return pick(products, want);
}
