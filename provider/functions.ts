import { z } from "zod";
import { type CloudName, cloudNames, clouds } from "./clouds";
import { defineFunction, FunctionDefinition } from "./core/functionDefinition";
import * as multicloudOut from "./multicloud/outputs";

export type { FunctionDefinition } from "./core/functionDefinition";

// The one list of lookups: every registered cloud's (its descriptor's `functions`, in registry
// order) and the cross-cloud ones.

export const functions: FunctionDefinition[] = [
  ...clouds.flatMap((c) => c.functions()),
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
