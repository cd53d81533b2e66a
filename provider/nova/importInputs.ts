import { resolveSettings, type ConfigSource } from "../core/settings";
import { novaClientFor, novaCloud } from "./client";

// `pulumi import` of a Nova VM: the inputs that would have created the machine, as Nova reports
// it. Nova's VM record does not document the SSH key or the password it was made with: when it
// leaves them out, the program supplies them (`import` option), or `pulumi import` reports them
// missing at check.

export async function importInputs(config: ConfigSource | undefined, id: string): Promise<Record<string, unknown> | undefined> {
  const vm = await novaClientFor(resolveSettings(novaCloud, config)).loadVm(id);
  if (!vm) return undefined;
  return {
    name: vm.label,
    gpuType: vm.gpuType,
    gpuCount: vm.gpuCount,
    storageGb: vm.storageGb,
    templateVmid: vm.templateVmid,
    node: vm.node,
    rentalType: vm.rentalType,
    sshKeyId: vm.sshKeyId,
    // Nova does not say how a VM authenticates; check defaults to ssh_key, as at create.
    authMethod: vm.sshKeyId ? "ssh_key" : undefined,
    autoRestart: vm.autoRestart,
  };
}
