import * as pulumi from "@pulumi/pulumi";
import { outputSlots, programConfig } from "./outputSlots";
import type { OfferCatalogue, OfferFailure } from "../provider/offers/catalogue";
import type { NormalizedOffer, OfferQuery } from "../provider/offers/offer";
import type { CloudName } from "../provider/clouds";

// One GPU VM on whichever listed offer has capacity at create. It then stays there: changing
// `offers` or `policy` later never moves or replaces it.

export type { NormalizedOffer, OfferCatalogue, OfferFailure, OfferQuery };
/** Every registered cloud (provider/clouds.ts). */
export type { CloudName };

export interface OfferChoice {
  cloud: pulumi.Input<CloudName>;
  /** That cloud's GpuVm inputs except name and deadlines, e.g. an offer's `inputs` from getOffers plus sshKeyId / osImage / imageUrl. */
  inputs: pulumi.Input<Record<string, any>>;
}

export interface CapacityPolicy {
  /** Any spelling of a GPU the table knows: "H100", "RTX 4090", "5090". */
  gpu: pulumi.Input<string>;
  gpuCount: pulumi.Input<number>;
  /** Offers without a published price (GPCN) are left out when set. */
  maxPricePerHour?: pulumi.Input<number>;
  /** Default: the clouds in `extras`, else every configured cloud. */
  clouds?: pulumi.Input<pulumi.Input<CloudName>[]>;
  /** Words of a location: "KAN-1", "us", "Helsinki". */
  regions?: pulumi.Input<pulumi.Input<string>[]>;
  /** Per cloud, the inputs every VM there needs besides the offer's own: `{gpcn: {sshKeyId}, nova: {storageGb, sshKeyId}, …}`. */
  extras?: pulumi.Input<Partial<Record<CloudName, pulumi.Input<Record<string, any>>>>>;
}

export interface GpuVmArgs {
  /** The budget guard: check refuses the VM when its price per hour is over this (in `currency`); no request is sent to create it. */
  maxPricePerHour?: pulumi.Input<number>;
  /** VM name on the chosen cloud; defaults to the resource name. Renames in place where that cloud can, else replaces. */
  name?: pulumi.Input<string>;
  /** Offers in the order to try. Used only at create. */
  offers?: pulumi.Input<pulumi.Input<OfferChoice>[]>;
  /** Tried after `offers`: the policy's offers cheapest first, read at create. */
  policy?: pulumi.Input<CapacityPolicy>;
  /** Passed to the chosen cloud's GpuVm (default 1800). */
  createTimeoutSeconds?: pulumi.Input<number>;
  deleteTimeoutSeconds?: pulumi.Input<number>;
  /** `<cloud>:<id>` of an existing machine to take over instead of creating one (e.g. one a create that failed closed named); it must match an offer on that cloud. */
  adoptId?: pulumi.Input<string>;
}

const OUTPUTS = [
  "pricePerHour", "currency", "priceSource", "maxPricePerHour",
  "offers", "policy", "createTimeoutSeconds", "deleteTimeoutSeconds", "cloud", "chosenOffer", "attempts",
  "status", "ip", "sshCommand", "sshConnection", "sshPassword", "password", "imageAuth", "webTerminalPassword", "createdAt",
  "pricePerHourUsd", "hourlyRate", "location", "node", "datacenterId", "clusterId", "planId",
] as const;

/** chosenOffer carries the offer's inputs, which may hold a password; the rest are the clouds' own secrets. */
const SECRET_OUTPUTS = ["chosenOffer", "password", "imageAuth", "sshPassword", "webTerminalPassword"];

/** A GPU VM on the first offer with capacity; the resource id is the chosen cloud's VM id. */
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
  /** The cloud the VM is on. */
  declare readonly cloud: pulumi.Output<CloudName>;
  /** Secret: `{index, cloud, source, description, inputs, pricePerHour?}` of the offer that got the VM. */
  declare readonly chosenOffer: pulumi.Output<{ index: number; cloud: CloudName; source: "offers" | "policy"; description: string; inputs: Record<string, any>; pricePerHour?: number; currency?: string }>;
  /** Offers tried before it, each with its cloud's out-of-capacity answer. */
  declare readonly attempts: pulumi.Output<Array<{ index: number; cloud: CloudName; offer: string; outcome: string }>>;
  declare readonly status: pulumi.Output<string>;
  declare readonly ip: pulumi.Output<string | undefined>;
  // The chosen cloud's own outputs, flat: each is set only on the clouds named.
  /** ISO time the VM was created. */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** Novita. */
  declare readonly sshCommand: pulumi.Output<string | undefined>;
  /** Fluence. */
  declare readonly sshConnection: pulumi.Output<string | undefined>;
  /** Novita. Secret. */
  declare readonly sshPassword: pulumi.Output<string | undefined>;
  /** Nova, authMethod `password`. Secret. */
  declare readonly password: pulumi.Output<string | undefined>;
  /** Novita registry credentials. Secret. */
  declare readonly imageAuth: pulumi.Output<string | undefined>;
  /** Novita. Secret. */
  declare readonly webTerminalPassword: pulumi.Output<string | undefined>;
  /** Novita. Deprecated: use `pricePerHour`. */
  declare readonly pricePerHourUsd: pulumi.Output<number | undefined>;
  /** Nova, USD. Deprecated: use `pricePerHour`. */
  declare readonly hourlyRate: pulumi.Output<number | undefined>;
  /** Fluence. */
  declare readonly location: pulumi.Output<string | undefined>;
  /** Nova. */
  declare readonly node: pulumi.Output<string | undefined>;
  /** GPCN. */
  declare readonly datacenterId: pulumi.Output<string | undefined>;
  /** Novita. */
  declare readonly clusterId: pulumi.Output<string | undefined>;
  /** Fluence. */
  declare readonly planId: pulumi.Output<string | undefined>;

  constructor(name: string, args: GpuVmArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      require("./shims/multicloudGpuVm"),
      name,
      { ...outputSlots(OUTPUTS), ...args, name: args.name ?? name },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: SECRET_OUTPUTS }),
      "multicloud",
      "GpuVm",
    );
  }
}

/**
 * Offers for a GPU model and count across every configured cloud (API key in stack config or the
 * environment; Nova needs none), cheapest first, with the clouds that failed in `failures`.
 */
export async function getOffers(query: OfferQuery): Promise<OfferCatalogue> {
  const { getOffers: read } = require("../provider/offers/catalogue") as typeof import("../provider/offers/catalogue");
  return read(programConfig(), query);
}
