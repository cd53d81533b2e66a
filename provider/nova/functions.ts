import { z } from "zod";
import { defineFunction, FunctionDefinition } from "../core/functionDefinition";
import * as out from "./outputs";

// nova's lookups (schema functions `gpucloud:nova:…`); provider/functions.ts lists every cloud's through its descriptor.

export const functions: FunctionDefinition[] = [
  defineFunction({
    token: "gpucloud:nova:getOffers",
    description: "Nova Cloud's GPU offers now (`GET /search`; no API key needed).",
    inputSchema: z.object({}),
    outputSchema: z.object({ offers: z.array(out.offer) }),
    async run(config) {
      const { getOffers } = require("./offers") as typeof import("./offers");
      return { offers: await getOffers(config) };
    },
  }),
  defineFunction({
    token: "gpucloud:nova:getPricing",
    description: "Nova Cloud's list prices (`GET /pricing`; no API key needed): `gpus` maps GPU type to USD per GPU-hour.",
    inputSchema: z.object({}),
    outputSchema: z.object({ gpus: z.record(z.string(), z.number()).describe("GPU type → USD per GPU-hour") }).passthrough(),
    async run(config) {
      const { getPricing } = require("./offers") as typeof import("./offers");
      return { ...(await getPricing(config)) };
    },
  }),
];
