import { z } from "zod";
import { defineFunction, FunctionDefinition } from "../core/functionDefinition";
import * as out from "./outputs";

// fluence's lookups (schema functions `gpucloud:fluence:…`); provider/functions.ts lists every cloud's through its descriptor.

export const functions: FunctionDefinition[] = [
  defineFunction({
    token: "gpucloud:fluence:getPlans",
    description: "Fluence's offers now (`kind` vm by default, or baremetal): groups by GPU model and count, with options, prices and OS images. Uses `fluenceApiKey` / FLUENCE_API_KEY.",
    inputSchema: z.object({ kind: z.enum(["vm", "baremetal"]).optional() }),
    outputSchema: z.object({ plans: z.array(out.planGroup) }),
    async run(config, args) {
      const { getPlans } = require("./plans") as typeof import("./plans");
      return { plans: await getPlans(config, args) };
    },
  }),
];
