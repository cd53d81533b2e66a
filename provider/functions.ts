import { z } from "zod";
import { type CloudName, cloudNames } from "./clouds";
import type { ConfigSource } from "./core/settings";
import * as fluenceOut from "./fluence/outputs";
import * as gpcnOut from "./gpcn/outputs";
import * as multicloudOut from "./multicloud/outputs";
import * as novaOut from "./nova/outputs";
import * as novitaOut from "./novita/outputs";

// The one registry of the lookups: the native plugin's Invoke dispatches on `token`, the schema
// generator reads `description`, `inputSchema` and `outputSchema`, and the dynamic SDK's
// functions (sdk/*.ts) reach the same code through the modules `run` requires. Results are always
// objects because Invoke answers with a protobuf Struct: a list comes back under a named field.
// The result shapes are the per-cloud outputs.ts schemas, so every language gets typed results.

export interface FunctionDefinition<I extends z.ZodObject<any> = z.ZodObject<any>, O extends z.ZodObject<any> = z.ZodObject<any>> {
  /** `gpucloud:<module>:<name>`, the schema's function token. */
  token: string;
  description: string;
  inputSchema: I;
  /** The shape of the result, for the schema; items of lists are described, not re-validated. */
  outputSchema: O;
  run(config: ConfigSource | undefined, args: z.infer<I>): Promise<Record<string, unknown>>;
}

function defineFunction<I extends z.ZodObject<any>, O extends z.ZodObject<any>>(def: FunctionDefinition<I, O>): FunctionDefinition {
  return def as unknown as FunctionDefinition;
}

const billingMode = z.enum(["onDemand", "monthly", "spot"]);

export const functions: FunctionDefinition[] = [
  defineFunction({
    token: "gpucloud:gpcn:getInventory",
    description: "GPCN's GPU stock now: one row per series, datacenter and GPU count, with the SKU codes that can be ordered. Uses `gpcnApiKey` / GPCN_API_KEY.",
    inputSchema: z.object({}),
    outputSchema: z.object({ offers: z.array(gpcnOut.inventoryOffer) }),
    async run(config) {
      const { getInventory } = require("./gpcn/inventory") as typeof import("./gpcn/inventory");
      return { offers: await getInventory(config) };
    },
  }),
  defineFunction({
    token: "gpucloud:nova:getOffers",
    description: "Nova Cloud's GPU offers now (`GET /search`; no API key needed).",
    inputSchema: z.object({}),
    outputSchema: z.object({ offers: z.array(novaOut.offer) }),
    async run(config) {
      const { getOffers } = require("./nova/offers") as typeof import("./nova/offers");
      return { offers: await getOffers(config) };
    },
  }),
  defineFunction({
    token: "gpucloud:nova:getPricing",
    description: "Nova Cloud's list prices (`GET /pricing`; no API key needed): `gpus` maps GPU type to USD per GPU-hour.",
    inputSchema: z.object({}),
    outputSchema: z.object({ gpus: z.record(z.string(), z.number()).describe("GPU type → USD per GPU-hour") }).passthrough(),
    async run(config) {
      const { getPricing } = require("./nova/offers") as typeof import("./nova/offers");
      return { ...(await getPricing(config)) };
    },
  }),
  defineFunction({
    token: "gpucloud:novita:getProducts",
    description: "Novita's GPU products now (prices in USD per GPU-hour), with the documented `/products` filters. Uses `novitaApiKey` / NOVITA_API_KEY.",
    inputSchema: z.object({
      clusterId: z.string().optional().describe("Only products of this cluster (region)."),
      gpuNum: z.number().int().optional().describe("Only products with this many GPUs."),
      productName: z.string().optional().describe("Novita's fuzzy match on the GPU name, e.g. `RTX 4090`."),
      minCpuPerGpu: z.number().optional(),
      minMemoryPerGpu: z.number().optional(),
      minRootFSSize: z.number().optional(),
      billingMethod: billingMode.optional(),
    }),
    outputSchema: z.object({ products: z.array(novitaOut.product) }),
    async run(config, filter) {
      const { getProducts } = require("./novita/products") as typeof import("./novita/products");
      return { products: await getProducts(config, filter) };
    },
  }),
  defineFunction({
    token: "gpucloud:novita:getClusters",
    description: "Novita's clusters (regions) and the GPU types each offers. Uses `novitaApiKey` / NOVITA_API_KEY.",
    inputSchema: z.object({}),
    outputSchema: z.object({ clusters: z.array(novitaOut.cluster) }),
    async run(config) {
      const { getClusters } = require("./novita/products") as typeof import("./novita/products");
      return { clusters: await getClusters(config) };
    },
  }),
  defineFunction({
    token: "gpucloud:novita:getCheapestProduct",
    description:
      "The cheapest Novita product that can be deployed now for a GPU name and count (`product` absent when none). " +
      "Pin the result's `id` in config: choosing again on every run could pick another product, which replaces.",
    inputSchema: z.object({
      productName: z.string().min(1).describe("A GPU name such as `RTX 4090`."),
      gpuCount: z.number().int().min(1),
      billingMode: billingMode.optional(),
      clusterId: z.string().optional(),
      rootfsSize: z.number().optional().describe("Only products whose root disk can be this large (GB)."),
    }),
    outputSchema: z.object({ product: novitaOut.product.optional() }),
    async run(config, want) {
      const { getCheapestProduct } = require("./novita/products") as typeof import("./novita/products");
      const product = await getCheapestProduct(config, want);
      return product === undefined ? {} : { product };
    },
  }),
  defineFunction({
    token: "gpucloud:fluence:getPlans",
    description: "Fluence's offers now (`kind` vm by default, or baremetal): groups by GPU model and count, with options, prices and OS images. Uses `fluenceApiKey` / FLUENCE_API_KEY.",
    inputSchema: z.object({ kind: z.enum(["vm", "baremetal"]).optional() }),
    outputSchema: z.object({ plans: z.array(fluenceOut.planGroup) }),
    async run(config, args) {
      const { getPlans } = require("./fluence/plans") as typeof import("./fluence/plans");
      return { plans: await getPlans(config, args) };
    },
  }),
  defineFunction({
    token: "gpucloud:multicloud:getOffers",
    description:
      "Offers for a GPU model and count across every configured cloud (Nova needs no key), cheapest first; " +
      "clouds that failed are in `failures`, clouds without a key in `skipped`.",
    inputSchema: z.object({
      gpu: z.string().min(1).describe('Any spelling of a GPU the table knows: "H100", "RTX 4090", "5090".'),
      gpuCount: z.number().int().min(1),
      maxPricePerHour: z.number().optional().describe("Offers without a published price (GPCN) are left out when set."),
      clouds: z.array(z.enum(cloudNames as [CloudName, ...CloudName[]])).optional(),
      regions: z.array(z.string()).optional().describe('Words of a location: "KAN-1", "us", "Helsinki".'),
    }),
    outputSchema: multicloudOut.offerCatalogue,
    async run(config, query) {
      const { getOffers } = require("./offers/catalogue") as typeof import("./offers/catalogue");
      return { ...(await getOffers(config, query)) };
    },
  }),
];

export function functionFor(token: string): FunctionDefinition {
  const fn = functions.find((f) => f.token === token);
  if (!fn) throw new Error(`pulumi-gpucloud: unknown function ${token}; known: ${functions.map((f) => f.token).join(", ")}`);
  return fn;
}
