import { compact } from "../core/compact";
import { GpuVmInputs } from "./inputs";

// Request bodies of gpcn:GpuVm's calls, built from validated inputs.

/** POST /resource/gpu: what the user left out, GPCN picks. */
export function createBody(inputs: GpuVmInputs, seriesId: string): Record<string, unknown> {
  return compact({
    name: inputs.name,
    datacenterId: inputs.datacenterId,
    seriesId,
    gpuCount: inputs.gpuCount,
    sshKeyId: inputs.sshKeyId,
    skuCode: inputs.skuCode,
    imageName: inputs.imageName,
    resourceGroupId: inputs.resourceGroupId,
    username: inputs.username,
  });
}
