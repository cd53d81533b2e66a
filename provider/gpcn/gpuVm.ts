import { callOf } from "../core/diffRules";
import { compact } from "../core/compact";
import { ConflictError, GpuCloudError, NotFoundError } from "../core/errors";
import { adoptionMismatchError } from "../core/adoption";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { createOnce } from "../core/createOnce";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { waitUntil, WaiterTimeoutError } from "../core/waiter";
import { adoptionMismatches, findOwnMachines } from "./adoption";
import { gpcnClientFor, gpcnCloud } from "./client";
import { crossCheckGpuVm, GpuVmInputs, gpuVmInputs } from "./inputs";
import { jobOutcome, vmPhase } from "./observations";
import { gpuVmOutputsOf } from "./outputs";
import { resolveSeries } from "./planSelection";
import { createBody } from "./requests";
import { gpuVmRules } from "./rules";
import { GpcnJob, GpcnVm } from "./schemas";
import { priceOf } from "./pricing";
import { waitUntilRunning } from "./waits";
import { applyPowerState, powerStateOf } from "./powerState";

const TYPE = "gpcn:GpuVm";

async function create(ctx: CallContext, inputs: GpuVmInputs) {
  const client = gpcnClientFor(ctx.settings);
  const started = Date.now();
  let seriesId = inputs.seriesId;
  let seriesCode = inputs.seriesCode;
  if (!seriesId) ({ seriesId, seriesCode } = resolveSeries(await client.sharedInventory(), inputs));
  const withSeries = compact({ ...inputs, seriesId, seriesCode });
  const own = { ...inputs, seriesCode };
  // Same name and configuration may be this resource's VM from a create sent before (./adoption.ts).
  const { result } = await createOnce<{ vmId: string; job?: GpcnJob }>({
    what: `${TYPE} "${inputs.name}"`,
    cloud: gpcnCloud,
    scope: ctx.adoption,
    serializeKey: `${TYPE}|${ctx.settings.endpoint}|${inputs.name}`,
    findCandidates: async (fresh) => (await findOwnMachines(client, own, fresh)).map((c) => ({ id: c.id, value: { vmId: c.id } })),
    idOf: (r) => r.vmId,
    send: async (existedBefore) => {
      const job = await client.createVm(createBody(inputs, seriesId!));
      if (job.resourceId) return { vmId: job.resourceId, job };
      // Older API: the id only once done. The VM this create made is the one that was not there before.
      const made = (await findOwnMachines(client, own, true)).filter((v) => !existedBefore.has(v.id) && !ctx.adoption.isClaimed(v.id));
      if (made.length === 1) return { vmId: made[0].id, job };
      throw new GpuCloudError(`GPCN accepted the create of "${inputs.name}" but reported no VM id`, { cloud: "gpcn" });
    },
  });
  const { vmId, job } = result;
  // From here on the VM exists and bills: every failure must carry its id (partial create).
  return afterCreate({
    what: `${TYPE} "${inputs.name}"`,
    id: vmId,
    work: async () => {
      await waitUntilRunning(client, vmId, job, inputs, started + inputs.createTimeoutSeconds * 1000);
      let vm = await client.loadVm(vmId);
      if (!vm) throw new GpuCloudError(`GPCN VM ${vmId} disappeared right after its create job completed`, { cloud: "gpcn" });
      // GPCN creates running VMs: one declared stopped is stopped once it runs.
      if (inputs.powerState === "stopped") vm = await applyPowerState(client, vmId, inputs.name, "stopped", started + inputs.createTimeoutSeconds * 1000);
      return { id: vmId, outs: gpuVmOutputsOf(withSeries, vm) };
    },
    properties: async () => ({ ...inputs, ...gpuVmOutputsOf(withSeries, await client.getVm(vmId).catch(() => undefined)) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = gpcnClientFor(ctx.settings);
  const vm = await client.loadVm(id);
  if (!vm || vm.deleted || vmPhase(vm.status) === "gone") return {};
  const outs = gpuVmOutputsOf({}, vm, props);
  // Out-of-band renames and regrouping show up as changed inputs, so the next diff puts them back.
  outs.name = vm.name;
  if (vm.resourceGroupId && props.resourceGroupId !== undefined) outs.resourceGroupId = vm.resourceGroupId;
  // A declared powerState follows the VM, so a stop made outside Pulumi shows as drift and the next up restores it.
  const power = props.powerState !== undefined ? powerStateOf(vm) : undefined;
  if (power) outs.powerState = power;
  const inputs = declaredInputs(gpuVmInputs, { ...props, name: vm.name, resourceGroupId: outs.resourceGroupId, ...(power ? { powerState: power } : {}) });
  return { id, props: outs, inputs };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: GpuVmInputs, plan: { inPlace: Array<{ field: string; to: unknown }> }) {
  const client = gpcnClientFor(ctx.settings);
  let vm: GpcnVm | undefined;
  // Changes are grouped by the call their rule names: "power" goes through start/stop, the rest through PUT.
  const put = plan.inPlace.filter((c) => callOf(gpuVmRules, c.field) !== "power");
  if (put.length) {
    const body = Object.fromEntries(put.map((c) => [c.field, c.to]));
    vm = await client.updateVm(id, body);
  }
  vm = (await client.getVm(id)) ?? vm;
  if (!vm) throw new GpuCloudError(`GPCN VM ${id} no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "gpcn" });
  const power = news.powerState && plan.inPlace.some((c) => callOf(gpuVmRules, c.field) === "power") ? news.powerState : undefined;
  // An earlier create that did not finish (partial create) continues here; a VM stopping is not one.
  if (vmPhase(vm.status) === "inProgress" && !/^stopping$/i.test(vm.status ?? "") && !power) {
    try {
      await waitUntilRunning(client, id, undefined, news, Date.now() + news.createTimeoutSeconds * 1000);
      vm = (await client.getVm(id)) ?? vm;
    } catch (err) {
      throw new PartialCreateError(`${TYPE} "${news.name}": VM ${id} is still not ready: ${(err as Error).message}`, id, { ...olds, ...news }, [(err as Error).message]);
    }
  }
  if (power) vm = await applyPowerState(client, id, news.name, power, Date.now() + news.createTimeoutSeconds * 1000);
  return gpuVmOutputsOf({ ...news, seriesId: news.seriesId ?? olds.seriesId, seriesCode: news.seriesCode ?? olds.seriesCode }, vm, olds);
}

async function destroy(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = gpcnClientFor(ctx.settings);
  const name = String(props.name ?? id);
  const timeoutSec = Number(props.deleteTimeoutSeconds ?? 900);
  const deadlineAt = Date.now() + timeoutSec * 1000;
  for (;;) {
    let job: GpcnJob | "gone" | undefined;
    try {
      job = await client.deleteVm(id);
    } catch (err) {
      // GPCN may refuse to delete a VM that is still being created: wait for it to settle, then delete.
      if (!(err instanceof ConflictError) || Date.now() > deadlineAt) throw err;
      logProgress("info", `${TYPE} "${name}": GPCN cannot delete VM ${id} yet (${err.message}); waiting for it to settle`);
      await waitUntil({
        what: `GPCN VM ${id} to settle before deletion`,
        deadlineAt,
        minDelayMs: 2000,
        poll: async () => {
          const vm = await client.getVm(id);
          const phase = vm ? vmPhase(vm.status) : "gone";
          return { state: phase === "inProgress" ? "retry" : "success", label: vm ? `VM ${vm.status}` : "VM gone", value: vm };
        },
      });
      continue;
    }
    if (job === "gone") return;
    await waitUntil({
      what: `GPCN deletion of VM ${id} ("${name}")`,
      deadlineAt,
      initial: job ? jobOutcome(job, job.jobId, Date.now()) : undefined,
      minDelayMs: 1000,
      poll: async () => {
        const vm = await client.getVm(id);
        if (!vm || vm.deleted) return { state: "success", label: "VM gone", value: undefined };
        if (job) {
          const j = await client.loadJob(job.jobId);
          if (j) return { ...jobOutcome(j, job.jobId, Date.now()), value: undefined };
        }
        return { state: "retry", label: `VM ${vm.status}`, value: undefined };
      },
      onProgress: waitProgress(TYPE, name, "deleting"),
    });
    return;
  }
}

/** `adoptId`: take over a VM made outside Pulumi, after checking it is what the program declares. */
async function adopt(ctx: CallContext, id: string, inputs: GpuVmInputs) {
  const client = gpcnClientFor(ctx.settings);
  const vm = await client.getVm(id);
  if (!vm || vm.deleted || vmPhase(vm.status) === "gone") throw new NotFoundError(`GPCN has no VM ${id} to adopt`, { cloud: "gpcn" });
  let seriesCode = inputs.seriesCode;
  if (!seriesCode && inputs.seriesId) {
    const inv = await client.inventory().catch(() => undefined); // lists only stocked series: best effort
    seriesCode = inv?.series.find((s) => s.id === inputs.seriesId)?.code ?? undefined;
  }
  const mismatches = adoptionMismatches(vm, { ...inputs, seriesCode });
  if (mismatches.length) throw adoptionMismatchError("gpcn", "GPCN VM", id, mismatches);
  const inPlace = Object.fromEntries(
    (["name", "resourceGroupId", "username"] as const)
      .filter((f) => inputs[f] !== undefined && inputs[f] !== vm[f])
      .map((f) => [f, inputs[f]]),
  );
  if (Object.keys(inPlace).length) await client.updateVm(id, inPlace);
  logProgress("info", `${TYPE} "${inputs.name}": adopted VM ${id}${Object.keys(inPlace).length ? ` and set ${Object.keys(inPlace).join(", ")}` : ""}`);
  const withSeries = compact({ ...inputs, seriesCode: seriesCode ?? vm.seriesCode });
  return afterCreate({
    what: `${TYPE} "${inputs.name}"`,
    id,
    work: async () => {
      const now = (await client.getVm(id)) ?? vm;
      const deadlineAt = Date.now() + inputs.createTimeoutSeconds * 1000;
      if (vmPhase(now.status) === "inProgress") await waitUntilRunning(client, id, undefined, inputs, deadlineAt);
      let last = (await client.getVm(id)) ?? now;
      // A declared powerState is the adopted VM's state from here on, so state never says running of a stopped VM.
      if (inputs.powerState) last = await applyPowerState(client, id, inputs.name, inputs.powerState, deadlineAt);
      return { id, outs: gpuVmOutputsOf(withSeries, last) };
    },
    properties: async () => ({ ...inputs, ...gpuVmOutputsOf(withSeries, vm) }),
  });
}

export const gpcnGpuVm = defineResource({
  type: TYPE,
  cloud: gpcnCloud,
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
