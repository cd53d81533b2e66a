import { z } from "zod";
import { defineFunction, FunctionDefinition } from "../core/functionDefinition";
import * as out from "./outputs";

// novita's lookups (schema functions `gpucloud:novita:…`); provider/functions.ts lists every cloud's through its descriptor.

const billingMode = z.enum(["onDemand", "monthly", "spot"]);

export const functions: FunctionDefinition[] = [
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
    outputSchema: z.object({ products: z.array(out.product) }),
    async run(config, filter) {
      const { getProducts } = require("./products") as typeof import("./products");
      return { products: await getProducts(config, filter) };
    },
  }),
  defineFunction({
    token: "gpucloud:novita:getClusters",
    description: "Novita's clusters (regions) and the GPU types each offers. Uses `novitaApiKey` / NOVITA_API_KEY.",
    inputSchema: z.object({}),
    outputSchema: z.object({ clusters: z.array(out.cluster) }),
    async run(config) {
      const { getClusters } = require("./products") as typeof import("./products");
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
    outputSchema: z.object({ product: out.product.optional() }),
    async run(config, want) {
      const { getCheapestProduct } = require("./products") as typeof import("./products");
      const product = await getCheapestProduct(config, want);
      return product === undefined ? {} : { product };
    },
  }),
];
