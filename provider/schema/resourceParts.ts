import type { z } from "zod";
import { handlerFor, resourceTypes } from "../index";

// Per resource type of the one registry (provider/index.ts): the zod schemas the package schema
// is generated from. Inputs are the handler's own (what check validates); outputs come from the
// cloud's outputs.ts. A resource type without outputs here fails the generator, not the user.

export interface ResourceParts {
  /** `gpcn:GpuVm`: the registry key; the schema token is `gpucloud:gpcn:GpuVm`. */
  type: string;
  module: string;
  /** `GpuVm`: also the sdk/<module>.ts class, whose `<name>Args` interface documents the inputs. */
  name: string;
  inputs: z.ZodObject<any>;
  outputs: z.ZodObject<any>;
}

const outputSchemas: Record<string, () => z.ZodObject<any>> = {
  "gpcn:GpuVm": () => require("../gpcn/outputs").gpuVmOutputs,
  "gpcn:SshKey": () => require("../gpcn/outputs").sshKeyOutputs,
  "nova:GpuVm": () => require("../nova/outputs").gpuVmOutputs,
  "nova:SshKey": () => require("../nova/outputs").sshKeyOutputs,
  "novita:GpuVm": () => require("../novita/outputs").gpuVmOutputs,
  "fluence:GpuVm": () => require("../fluence/outputs").gpuVmOutputs,
  "fluence:SshKey": () => require("../fluence/outputs").sshKeyOutputs,
  "multicloud:GpuVm": () => require("../multicloud/outputs").gpuVmOutputs,
};

/** multicloud:GpuVm is written out by hand (no defineResource), so its inputs are named here. */
const handBuiltInputs: Record<string, () => z.ZodObject<any>> = {
  "multicloud:GpuVm": () => require("../multicloud/inputs").multicloudInputs,
};

export function resourceParts(): ResourceParts[] {
  return resourceTypes.map((type) => {
    const [module, name] = type.split(":");
    const inputs = handlerFor(type).inputSchema ?? handBuiltInputs[type]?.();
    const outputs = outputSchemas[type]?.();
    if (!inputs || !outputs) throw new Error(`schema: ${type} has no ${inputs ? "output" : "input"} schema; add it to provider/schema/resourceParts.ts`);
    return { type, module, name, inputs, outputs };
  });
}
