import { randomBytes } from "node:crypto";
import { systemClock } from "../core/clock";
import { compact } from "../core/compact";
import { GpuCloudError } from "../core/errors";
import { logProgress } from "../core/progressLog";
import { NovaClient } from "./client";
import { GpuVmInputs } from "./inputs";
import { NovaVm } from "./schemas";

// Nova has no idempotency key and no name at create: the VM's label (instance_label), set right
// after the POST, marks it as this resource's (./adoption.ts finds VMs by it). Novita's marker is
// an env (../novita/instanceMarker.ts).

const TYPE = "nova:GpuVm";

/**
 * Sets the label (the marker of this resource's VM) and auto_restart. Returns the VM as the PATCH
 * answered it (when it did), false when Nova lacks the route.
 */
export async function applyInPlace(client: NovaClient, id: string, name: string, body: Record<string, unknown>, opts: { followUpOfCreate?: boolean } = {}): Promise<NovaVm | undefined | false> {
  const res = await client.updateVm(id, body, opts);
  if (res !== "unsupported") return res;
  if ("auto_restart" in body) {
    throw new GpuCloudError(`Nova has no route to change auto_restart of VM ${id} (PATCH /vms/{id} is not available); set autoRestart back or replace the VM`, { cloud: "nova" });
  }
  logProgress("warn", `${TYPE} "${name}": Nova cannot label VMs (PATCH /vms/{id} is not available); the name is kept in the stack only`);
  return false;
}

/** How long a claim label must stay ours before the leftover is taken (another process may claim it too). */
export const CLAIM_SETTLE_MS = 3_000;

/**
 * Takes an unlabelled leftover for this resource. Two processes may find the same leftover at
 * once, so it is claimed first: still unlabelled → a label only this create knows → after a pause,
 * still that label → labelled with the name. Any other outcome throws (the create fails closed).
 * Labelled first of all: a Nova without the label route could not tell it from a recorded VM later.
 */
export async function claimLeftover(client: NovaClient, vm: NovaVm, name: string): Promise<NovaVm> {
  const current = await client.getVm(vm.id);
  if (!current || current.label) throw new GpuCloudError(`VM ${vm.id} was ${current ? `labelled "${current.label}"` : "deleted"} meanwhile`, { cloud: "nova" });
  const token = `pulumi-claim-${randomBytes(6).toString("hex")}`;
  if ((await applyInPlace(client, vm.id, name, { instance_label: token })) === false) {
    throw new GpuCloudError("Nova cannot label VMs here, so an unlabelled VM may be a recorded one", { cloud: "nova" });
  }
  await systemClock.sleep(CLAIM_SETTLE_MS);
  const settled = await client.getVm(vm.id);
  if (settled?.label !== token) throw new GpuCloudError(`another create claimed VM ${vm.id} at the same time`, { cloud: "nova" });
  const patched = await applyInPlace(client, vm.id, name, { instance_label: name });
  return { ...settled, ...compact(patched || {}), label: name };
}

/**
 * Sets the label and auto_restart right after the POST. The VM as the PATCH answered it (it may be
 * running already, then no status poll is needed), or the error, kept for the partial create.
 */
export async function markAsThisResources(client: NovaClient, first: NovaVm, inputs: GpuVmInputs): Promise<{ seen: NovaVm; failed?: unknown }> {
  const wanted = compact({
    instance_label: first.label === inputs.name ? undefined : inputs.name,
    auto_restart: inputs.autoRestart === undefined || inputs.autoRestart === first.autoRestart ? undefined : inputs.autoRestart,
  });
  if (!Object.keys(wanted).length) return { seen: first };
  try {
    // Sent in the slot createVm counted with the POST: no wait behind queued polls, so other
    // processes on the key see the label within a round trip (findOwnMachines' LABEL_WINDOW_MS).
    const patched = await applyInPlace(client, first.id, inputs.name, wanted, { followUpOfCreate: true });
    // Fields the PATCH leaves out keep their values.
    return { seen: patched && patched.id === first.id ? { ...first, ...compact(patched) } : first };
  } catch (failed) {
    return { seen: first, failed };
  }
}
