import { Mismatch } from "../core/adoption";
import { Candidate } from "../core/createOnce";
import { GpcnClient } from "./client";
import { GpuVmInputs } from "./inputs";
import { vmPhase } from "./observations";
import { GpcnVm } from "./schemas";

// Which GPCN VM is this resource's: for a create that may have been sent before (createOnce) and
// for \`adoptId\`. GPCN has no idempotency key: a VM with this name and every immutable input GPCN
// shows may be this resource's (a re-run after a crash or a lost answer) or another's (the VM being
// replaced, another stack's); createOnce decides by the adoption rules. Same name, other
// configuration: never a candidate.

/** Where an existing VM differs from the declared immutable inputs (empty = it is this resource's VM). */
export function adoptionMismatches(vm: GpcnVm, inputs: GpuVmInputs & { seriesCode?: string }): Mismatch[] {
  const out: Mismatch[] = [];
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");
  const differs = (field: string, actual: unknown, declared: unknown) => out.push({ field, actual, declared });
  if (vm.datacenter?.id && vm.datacenter.id !== inputs.datacenterId) differs("datacenterId", vm.datacenter.id, inputs.datacenterId);
  if (vm.gpuCount !== undefined && vm.gpuCount !== inputs.gpuCount) differs("gpuCount", vm.gpuCount, inputs.gpuCount);
  if (inputs.seriesCode && vm.seriesCode && key(vm.seriesCode) !== key(inputs.seriesCode)) differs("seriesCode", vm.seriesCode, inputs.seriesCode);
  if (inputs.skuCode && vm.skuCode && vm.skuCode !== inputs.skuCode) differs("skuCode", vm.skuCode, inputs.skuCode);
  if (vm.sshKeyId && vm.sshKeyId !== inputs.sshKeyId) differs("sshKeyId", vm.sshKeyId, inputs.sshKeyId);
  const version = inputs.imageName.replace(/^\D+/, ""); // "ubuntu-24.04" → "24.04"; GPCN echoes a display name
  if (vm.image && !vm.image.includes(version)) differs("imageName", vm.image, inputs.imageName);
  return out;
}

/** The live VMs with this name that match every immutable input; `fresh` lists anew for this create alone. */
export async function findOwnMachines(client: GpcnClient, inputs: GpuVmInputs & { seriesCode?: string }, fresh: boolean): Promise<Candidate<string>[]> {
  const listed = fresh ? await client.findVmsByNameNow(inputs.name) : await client.findVmsByName(inputs.name);
  const out: Candidate<string>[] = [];
  for (const candidate of listed.filter((v) => !v.deleted && vmPhase(v.status) !== "gone" && !/^delet/i.test(v.status))) {
    const vm = (await client.getVm(candidate.id)) ?? candidate; // list items lack sshKeyId and image
    if (adoptionMismatches(vm, inputs).length === 0) out.push({ id: vm.id, value: vm.id });
  }
  return out;
}
