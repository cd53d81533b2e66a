import { Mismatch } from "../core/adoption";
import { systemClock } from "../core/clock";
import { Candidate } from "../core/createOnce";
import { stableJson } from "../core/diffRules";
import { logProgress } from "../core/progressLog";
import { CallContext } from "../core/resourceHandler";
import { NovaClient } from "./client";
import { gpuTypeKey, sameGpuType } from "./gpuTypes";
import { GpuVmInputs } from "./inputs";
import { vmPhase } from "./observations";
import { NovaVm } from "./schemas";
import { templateId } from "./templates";

// Which Nova VM is this resource's: for a create that may have been sent before (createOnce) and
// for `adoptId`.

/** Where a VM differs from the declared immutable inputs (empty = it is this resource's VM). */
export function adoptionMismatches(vm: NovaVm, want: GpuVmInputs): Mismatch[] {
  const out: Mismatch[] = [];
  const differs = (field: string, actual: unknown, declared: unknown) => out.push({ field, actual, declared });
  if (want.node && vm.node && vm.node !== want.node) differs("node", vm.node, want.node);
  if (vm.gpuType && !sameGpuType(vm.gpuType, want.gpuType)) differs("gpuType", vm.gpuType, want.gpuType);
  if (vm.gpuCount !== undefined && vm.gpuCount !== want.gpuCount) differs("gpuCount", vm.gpuCount, want.gpuCount);
  if (vm.storageGb !== undefined && vm.storageGb !== want.storageGb) differs("storageGb", vm.storageGb, want.storageGb);
  if (vm.rentalType && vm.rentalType !== want.rentalType) differs("rentalType", vm.rentalType, want.rentalType);
  if (vm.templateVmid !== undefined && vm.templateVmid !== templateId(want.templateVmid)) differs("templateVmid", vm.templateVmid, want.templateVmid);
  if (vm.sshKeyId && want.sshKeyId && vm.sshKeyId !== want.sshKeyId) differs("sshKeyId", vm.sshKeyId, want.sshKeyId);
  return out;
}

/**
 * How old an unlabelled VM may be and still count as the leftover of an interrupted create of
 * this configuration (a crash between Nova's POST and the label PATCH). Older unlabelled VMs are
 * someone else's: a re-run after a crash happens within a day.
 */
export const UNLABELLED_LEFTOVER_MS = 24 * 3600_000;

/**
 * How long a create takes from Nova's POST to its label PATCH, generously (retries included): the
 * PATCH goes in a rate slot counted with the POST (client.createVm), so it never waits behind queued
 * requests, only for a 5xx retry or a server's 429. An unlabelled VM younger than this may be
 * another process's create in flight: it is looked at again once it is older, and only a VM still
 * unlabelled then counts as a leftover.
 */
export const LABEL_WINDOW_MS = 20_000;

/** Creates of one configuration whose VMs Nova cannot tell apart until they carry their label. */
export const sameConfigurationKey = (endpoint: string, inputs: GpuVmInputs) =>
  `nova:GpuVm|${endpoint}|${stableJson(configurationOf(inputs))}`;

function configurationOf(inputs: GpuVmInputs) {
  return { node: inputs.node, gpuType: gpuTypeKey(inputs.gpuType), gpuCount: inputs.gpuCount, storageGb: inputs.storageGb, templateVmid: templateId(inputs.templateVmid), rentalType: inputs.rentalType, sshKeyId: inputs.sshKeyId, authMethod: inputs.authMethod };
}

/**
 * Nova has no idempotency key and no name at create: the label (set right after the POST) marks
 * the VM as a resource's. Candidates are the live VMs of exactly this configuration that carry this
 * label, or no label and were made recently (a crash before the label: nobody records them).
 */
function candidatesIn(vms: NovaVm[] | undefined, inputs: GpuVmInputs, now: number): Candidate<NovaVm>[] | undefined {
  if (!vms) return undefined;
  return vms
    .filter((v) => vmPhase(v) !== "gone" && adoptionMismatches(v, inputs).length === 0)
    .filter((v) => v.label === inputs.name || (!v.label && now - Date.parse(v.createdAt ?? "") <= UNLABELLED_LEFTOVER_MS))
    .map((v) => ({ id: v.id, value: v, unrecorded: !v.label }));
}

/**
 * This resource's VMs among `listing` (read before the create queued), or among a fresh listing.
 * An unlabelled candidate only seconds old may be another process's create in flight: it is
 * looked at again once older than LABEL_WINDOW_MS.
 */
export async function findOwnMachines(ctx: CallContext, client: NovaClient, inputs: GpuVmInputs, listing: Promise<NovaVm[] | undefined>, fresh: boolean): Promise<Candidate<NovaVm>[] | undefined> {
  if (fresh) return candidatesIn(await client.listVms(), inputs, Date.now());
  const listed = candidatesIn(await listing, inputs, Date.now());
  const unlabelled = (listed ?? []).filter((c) => c.unrecorded && !ctx.adoption.isClaimed(c.id));
  if (!unlabelled.length) return listed;
  // The listing may be older than this create's turn (creates of one configuration queue): another
  // process's VM unlabelled in it may carry its label by now, so a leftover is judged on a fresh one.
  const young = unlabelled.map((c) => Date.parse(c.value.createdAt ?? "") + LABEL_WINDOW_MS - Date.now());
  if (Math.max(...young) <= 0) return candidatesIn(await client.listVms(), inputs, Date.now());
  logProgress("info", `${ctx.type} "${inputs.name}": an unlabelled VM of this configuration is only seconds old; waiting to see whether another create labels it`);
  await systemClock.sleep(Math.max(...young));
  return candidatesIn(await client.listVms(), inputs, Date.now());
}
