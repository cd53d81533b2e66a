import { resolveSettings, type ConfigSource } from "../core/settings";
import { gpcnClientFor, gpcnCloud } from "./client";

// `pulumi import` of a GPCN VM: the inputs that would have created the machine, as GPCN reports
// it. GPCN echoes the image as a display name ("Ubuntu 24.04 LTS (GPU)"): its version picks the
// imageName, the same match gpuVm.ts uses when adopting.

const IMAGE_NAMES = ["ubuntu-22.04", "ubuntu-24.04"];

export async function importInputs(config: ConfigSource | undefined, id: string): Promise<Record<string, unknown> | undefined> {
  const vm = await gpcnClientFor(resolveSettings(gpcnCloud, config)).loadVm(id);
  if (!vm) return undefined;
  const imageName = IMAGE_NAMES.find((n) => vm.image?.includes(n.replace(/^\D+/, "")));
  return {
    name: vm.name,
    datacenterId: vm.datacenter?.id,
    seriesCode: vm.seriesCode,
    gpuCount: vm.gpuCount,
    skuCode: vm.skuCode,
    sshKeyId: vm.sshKeyId,
    resourceGroupId: vm.resourceGroupId,
    username: vm.username,
    imageName,
  };
}
