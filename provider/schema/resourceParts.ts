import type { z } from "zod";
import { handlerFor, resourceTypes } from "../index";

// Per resource type of the one registry (provider/index.ts): the zod schemas the package schema
// is generated from. Inputs are the handler's own (what check validates); outputs are found by
// convention: `<module>:<Name>` → provider/<module>/outputs.ts, export `<name>Outputs`
// (gpcn:GpuVm → gpuVmOutputs). A type without them fails the generator, not the user.

export interface ResourceParts {
  /** `gpcn:GpuVm`: the registry key; the schema token is `gpucloud:gpcn:GpuVm`. */
  type: string;
  module: string;
  /** `GpuVm`: also the sdk/<module>.ts class, whose `<name>Args` interface documents the inputs. */
  name: string;
  inputs: z.ZodObject<any>;
  outputs: z.ZodObject<any>;
}

/** multicloud:GpuVm is written out by hand (no defineResource), so its inputs are named here. */
const handBuiltInputs: Record<string, () => z.ZodObject<any>> = {
  "multicloud:GpuVm": () => require("../multicloud/inputs").multicloudInputs,
};

export function resourceParts(): ResourceParts[] {
  return resourceTypes.map((type) => {
    const [module, name] = type.split(":");
    const inputs = handlerFor(type).inputSchema ?? handBuiltInputs[type]?.();
    const exportName = `${name.charAt(0).toLowerCase()}${name.slice(1)}Outputs`;
    const outputs = (require(`../${module}/outputs`) as Record<string, z.ZodObject<any> | undefined>)[exportName];
    if (!inputs) throw new Error(`schema: ${type} has no input schema; add it to provider/schema/resourceParts.ts`);
    if (!outputs) throw new Error(`schema: ${type} has no outputs; export ${exportName} from provider/${module}/outputs.ts`);
    return { type, module, name, inputs, outputs };
  });
}
