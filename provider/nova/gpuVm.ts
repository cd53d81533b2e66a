import { adoptionMismatchError } from "../core/adoption";
import { compact } from "../core/compact";
import { createOnce, serializedBy } from "../core/createOnce";
import { callOf, ChangePlan } from "../core/diffRules";
import { ConflictError, GpuCloudError, NotFoundError, ValidationError } from "../core/errors";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { createForecast } from "../core/provisioningTimes";
import { waitUntil, WaiterTimeoutError } from "../core/waiter";
import { adoptionMismatches, findOwnMachines, sameConfigurationKey } from "./adoption";
import { novaClientFor, novaCloud } from "./client";
import { crossCheckGpuVm, GpuVmInputs, gpuVmInputs } from "./inputs";
import { goneOutcome, vmPhase } from "./observations";
import { gpuVmOutputsOf } from "./outputs";
import { placement } from "./planSelection";
import { createBody } from "./requests";
import { gpuVmRules } from "./rules";
import { NovaVm } from "./schemas";
import { priceOf } from "./pricing";
import { waitUntilRunning } from "./waits";
import { applyInPlace, claimLeftover, markAsThisResources } from "./instanceMarker";
import { applyPowerState, powerStateOf } from "./powerState";

const TYPE = "nova:GpuVm";

async function create(ctx: CallContext, inputs: GpuVmInputs) {
  const client = novaClientFor(ctx.settings);
  const started = Date.now();
  // Read before queueing, so concurrent creates share one listing and one /search (as before the
  // queue existed); claims made while this create waited its turn still exclude those VMs
  // (createOnce checks claims when it decides).
  const listing = client.sharedListVms();
  const placed = placement(client, inputs);
  listing.catch(() => undefined);
  placed.catch(() => undefined);
  // From the POST until the label, one create per configuration at a time (issue 20): a lost
  // answer then has one unlabelled candidate in this process, and no VM is claimed twice.
  let placedWhy: string | undefined;
  const { vm: first, marked, adopted } = await serializedBy(sameConfigurationKey(ctx.settings.endpoint, inputs), async () => {
    // A VM of this configuration with this label (or a young leftover) may be this resource's (./adoption.ts).
    const { result: vm, adopted } = await createOnce({
      what: `${TYPE} "${inputs.name}"`,
      cloud: novaCloud,
      scope: ctx.adoption,
      findCandidates: (fresh) => findOwnMachines(ctx, client, inputs, listing, fresh),
      idOf: (made) => made.id,
      send: async () => {
        const { node, gpuType, why } = await placed;
        placedWhy = why;
        return client.createVm(createBody(inputs, node, gpuType));
      },
      takeOver: ({ value: leftover }) => claimLeftover(client, leftover, inputs.name),
    });
    return { vm, adopted, marked: await markAsThisResources(client, vm, inputs) };
  });
  const why = adopted ? undefined : placedWhy;
  const id = first.id;
  // Only a VM this call created has a known start for its provisioning time.
  const forecast = adopted ? undefined : createForecast("nova", ctx.settings.endpoint, `${first.gpuType ?? inputs.gpuType}x${first.gpuCount ?? inputs.gpuCount}|${first.rentalType ?? ""}`, Date.now());
  let latest: NovaVm | undefined = first;
  // From here on the VM exists and bills: every failure must carry its id (partial create).
  return afterCreate({
    what: `${TYPE} "${inputs.name}"`,
    id,
    work: async () => {
      if (marked.failed) throw marked.failed;
      const seen = marked.seen;
      // Said once the VM exists and carries its label, so the log never names a VM not there yet.
      if (why) logProgress("info", `${TYPE} "${inputs.name}": created VM ${id} on node ${first.node} (${why})`);
      latest = await waitUntilRunning(client, seen, inputs, started + inputs.createTimeoutSeconds * 1000, forecast);
      // Nova creates running VMs: one declared stopped is stopped once it runs.
      if (inputs.powerState === "stopped") latest = await applyPowerState(client, id, inputs.name, "stopped", started + inputs.createTimeoutSeconds * 1000);
      return { id, outs: gpuVmOutputsOf(inputs, latest) };
    },
    properties: async () => ({ ...inputs, ...gpuVmOutputsOf(inputs, (await client.getVm(id).catch(() => undefined)) ?? latest) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  // A refresh of many VMs shares GET /vms listings; an id not listed is still asked for by itself.
  const vm = await novaClientFor(ctx.settings).loadVm(id);
  if (vmPhase(vm) === "gone") return {};
  const outs = gpuVmOutputsOf({}, vm, props);
  // An out-of-band relabel shows up as a changed input, so the next diff puts it back.
  if (vm!.label) outs.name = vm!.label;
  const phase = vmPhase(vm);
  if (phase === "interrupted" || phase === "offline") {
    logProgress("warn", `${TYPE} "${outs.name}": VM ${id} is ${vm!.status}; it still exists${phase === "interrupted" ? " (preempted; no GPU charge while interrupted)" : ""}`);
  }
  // A declared powerState follows the VM, so a stop made outside Pulumi shows as drift and the next up restores it.
  const power = props.powerState !== undefined ? powerStateOf(vm) : undefined;
  if (power) outs.powerState = power;
  return { id, props: outs, inputs: declaredInputs(gpuVmInputs, { ...props, name: outs.name, ...(power ? { powerState: power } : {}) }) };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: GpuVmInputs, plan: ChangePlan) {
  const client = novaClientFor(ctx.settings);
  const body: Record<string, unknown> = {};
  for (const c of plan.inPlace) {
    if (c.field === "name") body.instance_label = c.to;
    if (c.field === "autoRestart") body.auto_restart = c.to;
  }
  if (Object.keys(body).length) await applyInPlace(client, id, news.name, body);
  let vm = await client.getVm(id);
  if (!vm || vmPhase(vm) === "gone") throw new GpuCloudError(`Nova VM ${id} no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "nova" });
  const withNode = { ...news, node: news.node ?? olds.node };
  // An earlier create that did not finish (partial create) continues here.
  if (vmPhase(vm) === "inProgress") {
    try {
      vm = await waitUntilRunning(client, vm, news, Date.now() + news.createTimeoutSeconds * 1000);
    } catch (err) {
      throw new PartialCreateError(`${TYPE} "${news.name}": VM ${id} is still not ready: ${(err as Error).message}`, id, { ...olds, ...news }, [(err as Error).message]);
    }
  } else if (vmPhase(vm) === "failed") {
    const why = `Nova reports VM ${id} failed; it cannot become ready. Run \`pulumi destroy\` or \`pulumi up --replace\` on it`;
    throw new PartialCreateError(`${TYPE} "${news.name}": ${why}`, id, { ...olds, ...gpuVmOutputsOf(withNode, vm, olds) }, [why]);
  }
  if (news.powerState && plan.inPlace.some((c) => callOf(gpuVmRules, c.field) === "power")) {
    vm = await applyPowerState(client, id, news.name, news.powerState, Date.now() + news.createTimeoutSeconds * 1000);
  }
  return gpuVmOutputsOf(withNode, vm, olds);
}

/**
 * Nova may refuse to destroy a VM mid-transition (inferred): wait for it to settle, then try again.
 * Its wrong-state answer is a 400 whose only field is `detail` (shared/api/nova.md, "Wrong-state
 * power action → 400 detail", inferred) — no code to tell it from other 400s, so the cloud's own
 * words (`cloudMessage`, never our message) are what is read here.
 */
function isWrongState(err: unknown): boolean {
  if (err instanceof ConflictError) return true;
  return err instanceof ValidationError && /creating|starting|stopping|in progress|state|status/i.test(err.cloudMessage ?? "");
}

async function destroy(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = novaClientFor(ctx.settings);
  const name = String(props.name ?? id);
  const deadlineAt = Date.now() + Number(props.deleteTimeoutSeconds ?? 900) * 1000;
  for (;;) {
    let res: "accepted" | "gone";
    try {
      res = await client.deleteVm(id);
    } catch (err) {
      if (!isWrongState(err) || Date.now() > deadlineAt) throw err;
      logProgress("info", `${TYPE} "${name}": Nova cannot destroy VM ${id} yet (${(err as Error).message}); waiting for it to settle`);
      await waitUntil({
        what: `Nova VM ${id} to settle before it is destroyed`,
        deadlineAt,
        minDelayMs: 2000,
        poll: async () => {
          const vm = await client.getVm(id);
          return { state: vmPhase(vm) === "inProgress" || vm?.status === "stopping" ? "retry" : "success", label: vm ? `VM ${vm.status}` : "VM gone", value: vm };
        },
      });
      continue;
    }
    if (res === "gone") return;
    await waitUntil({
      what: `Nova destroy of VM ${id} ("${name}")`,
      deadlineAt,
      minDelayMs: 1000,
      poll: async () => goneOutcome(await client.loadVm(id)),
      onProgress: waitProgress(TYPE, name, "destroying"),
    });
    return;
  }
}

/** `adoptId`: take over a VM made outside Pulumi, after checking it is what the program declares. */
async function adopt(ctx: CallContext, id: string, inputs: GpuVmInputs) {
  const client = novaClientFor(ctx.settings);
  const vm = await client.getVm(id);
  if (vmPhase(vm) === "gone") throw new NotFoundError(`Nova has no VM ${id} to adopt`, { cloud: "nova" });
  const mismatches = adoptionMismatches(vm!, inputs);
  if (mismatches.length) throw adoptionMismatchError("nova", "Nova VM", id, mismatches);
  return afterCreate({
    what: `${TYPE} "${inputs.name}"`,
    id,
    work: async () => {
      const wanted = compact({
        instance_label: vm!.label === inputs.name ? undefined : inputs.name,
        auto_restart: inputs.autoRestart === undefined || inputs.autoRestart === vm!.autoRestart ? undefined : inputs.autoRestart,
      });
      if (Object.keys(wanted).length) await applyInPlace(client, id, inputs.name, wanted);
      logProgress("info", `${TYPE} "${inputs.name}": adopted VM ${id}`);
      const deadlineAt = Date.now() + inputs.createTimeoutSeconds * 1000;
      const now = vmPhase(vm) === "inProgress" ? await waitUntilRunning(client, vm!, inputs, deadlineAt) : vm!;
      let last = (await client.getVm(id)) ?? now;
      // A declared powerState is the adopted VM's state from here on, so state never says running of a stopped VM.
      if (inputs.powerState) last = await applyPowerState(client, id, inputs.name, inputs.powerState, deadlineAt);
      return { id, outs: gpuVmOutputsOf(inputs, last) };
    },
    properties: async () => ({ ...inputs, ...gpuVmOutputsOf(inputs, vm) }),
  });
}

export const novaGpuVm = defineResource({
  type: TYPE,
  cloud: novaCloud,
  inputSchema: gpuVmInputs,
  rules: gpuVmRules,
  crossCheck: crossCheckGpuVm,
  create,
  read,
  update,
  delete: destroy,
  adopt,
  price: priceOf,
});
