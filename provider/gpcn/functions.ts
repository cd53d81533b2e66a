import { z } from "zod";
import { defineFunction, FunctionDefinition } from "../core/functionDefinition";
import * as out from "./outputs";

// gpcn's lookups (schema functions `gpucloud:gpcn:…`); provider/functions.ts lists every cloud's through its descriptor.

export const functions: FunctionDefinition[] = [
  defineFunction({
    token: "gpucloud:gpcn:getInventory",
    description: "GPCN's GPU stock now: one row per series, datacenter and GPU count, with the SKU codes that can be ordered. Uses `gpcnApiKey` / GPCN_API_KEY.",
    inputSchema: z.object({}),
    outputSchema: z.object({ offers: z.array(out.inventoryOffer) }),
    async run(config) {
      const { getInventory } = require("./inventory") as typeof import("./inventory");
      return { offers: await getInventory(config) };
    },
  }),
];
