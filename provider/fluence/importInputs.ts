import { resolveSettings, type ConfigSource } from "../core/settings";
import { fluenceClientFor, fluenceCloud } from "./client";

// `pulumi import` of a Fluence VM: the inputs that would have created it, as Fluence reports it.
// Bare-metal instances live under another path; import reads VMs.

export async function importInputs(config: ConfigSource | undefined, id: string): Promise<Record<string, unknown> | undefined> {
  const i = await fluenceClientFor(resolveSettings(fluenceCloud, config)).getInstance("vm", id);
  if (!i) return undefined;
  return {
    name: i.name,
    kind: "vm",
    gpuModel: i.gpuModel?.model,
    gpuCount: i.gpuCount,
    location: i.location,
    osImage: i.osImage,
    sshPublicKey: i.sshKey,
  };
}
