import { z } from "zod";
import { CapacityError, ConflictError, GpuCloudError, NotFoundError, ValidationError } from "../core/errors";
import { adoptionMismatchError, Mismatch } from "../core/adoption";
import { ResourceRules, normalizers } from "../core/diffRules";
import { inputs as commonInputs } from "../core/inputValidation";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { createOnce } from "../core/createOnce";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { waitUntil, WaiterTimeoutError } from "../core/waiter";
import { GpcnClient, gpcnClientFor, gpcnCloud } from "./client";
import { jobOutcome, vmOutcome, vmPhase } from "./observations";
import { GpcnInventory, GpcnJob, GpcnVm } from "./schemas";
import { priceOf } from "./pricing";

const TYPE = "gpcn:GpuVm";

export const gpuVmInputs = z.object({
  name: z.string().min(1).max(255),
  datacenterId: z.string().min(1),
  seriesId: z.string().min(1).optional(),
  seriesCode: z.string().min(1).optional(),
  gpuCount: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], { message: "must be 1, 2, 4 or 8" }),
  sshKeyId: z.string().min(1),
  skuCode: z.string().min(1).optional(),
  imageName: z.enum(["ubuntu-22.04", "ubuntu-24.04"]).default("ubuntu-24.04"),
  resourceGroupId: z.string().min(1).optional(),
  username: z
    .string()
    .min(3)
    .max(20)
    .regex(/^[a-zA-Z_][a-zA-Z0-9_-]*$/, "must start with a letter or _ and contain only letters, digits, _ and -")
    .optional(),
  createTimeoutSeconds: commonInputs.deadlineSeconds(1800),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
});
export type GpuVmInputs = z.infer<typeof gpuVmInputs>;

const PUT = "PUT /resource/gpu/{id}";

export const gpuVmRules: ResourceRules = {
  type: TYPE,
  fields: {
    name: { change: "inPlace", via: PUT },
    resourceGroupId: { change: "inPlace", via: PUT, cloudDefault: true },
    username: { change: "inPlace", via: PUT, cloudDefault: true, doc: "default: the image's user" },
    datacenterId: { change: "replace", why: "a GPCN VM cannot move between datacenters" },
    seriesId: { change: "replace", why: "GPCN cannot change a VM's GPU series", normalize: normalizers.lowerCase, cloudDefault: true },
    seriesCode: { change: "replace", why: "GPCN cannot change a VM's GPU series", normalize: normalizers.lowerCase, cloudDefault: true, doc: "resolved to seriesId through the inventory" },
    gpuCount: { change: "replace", why: "GPCN cannot resize a VM", normalize: normalizers.number },
    skuCode: { change: "replace", why: "the SKU is fixed at create", cloudDefault: true, doc: "GPCN picks the cheapest SKU when none is given" },
    imageName: { change: "replace", why: "the OS image is installed at create" },
    sshKeyId: { change: "replace", why: "the key is installed in the VM at create; GPCN's PUT only relinks the record" },
    createTimeoutSeconds: { change: "stateOnly" },
    deleteTimeoutSeconds: { change: "stateOnly" },
  },
};

function outputsOf(inputs: Record<string, unknown>, vm: GpcnVm | undefined, previous: Record<string, unknown> = {}) {
  // What the user declared stays as declared (no perpetual diffs from the cloud's spellings);
  // what they left out is filled from the cloud.
  const fromCloud: Record<string, unknown> = vm
    ? {
        seriesCode: vm.seriesCode,
        skuCode: vm.skuCode,
        resourceGroupId: vm.resourceGroupId,
        username: vm.username,
        status: vm.status,
        ip: vm.ip,
        image: vm.image,
        jupyterUrl: vm.jupyterUrl,
        sshKeyName: vm.sshKeyName,
        resourceGroupName: vm.resourceGroupName,
        createdAt: vm.createdAt,
        configuration: compact({ name: vm.seriesName, code: vm.seriesCode, gpuCount: vm.gpuCount, cpu: vm.cpu, ramGiB: vm.ramGiB, diskGb: vm.diskGb, skuCode: vm.skuCode }),
        datacenter: vm.datacenter ? compact(vm.datacenter) : undefined,
      }
    : {};
  return compact({ ...previous, ...compact(fromCloud), ...declaredInputs(gpuVmInputs, inputs) });
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** Finds the series (by code or name, any case) and checks stock before anything is bought. */
export function resolveSeries(inventory: GpcnInventory, want: GpuVmInputs): { seriesId: string; seriesCode?: string } {
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");
  const wanted = key(want.seriesCode ?? want.seriesId ?? "");
  const series = inventory.series.find((s) => key(s.id) === wanted || key(s.code ?? "") === wanted || key(s.name) === wanted);
  if (!series) {
    const known = inventory.series.map((s) => s.code ?? s.name).join(", ") || "none";
    if (inventory.error) throw new CapacityError(`GPCN GPU provider unavailable: ${inventory.error.message ?? inventory.error.code}`, { cloud: "GPCN" });
    throw new ValidationError(`GPCN has no GPU series "${want.seriesCode}" in stock; series with stock: ${known}`, {
      cloud: "GPCN",
      issues: [{ path: "seriesCode", message: "unknown series" }],
    });
  }
  const here = series.availability?.find((a) => a.datacenterId === want.datacenterId);
  const count = here?.gpuCounts.find((g) => g.count === want.gpuCount);
  if (!count) {
    const offers = (series.availability ?? [])
      .map((a) => `${a.datacenterCode ?? a.datacenterName ?? a.datacenterId}: ×${a.gpuCounts.map((g) => g.count).join("/×")}`)
      .join("; ");
    throw new CapacityError(
      `GPCN has no stock of ${series.name} ×${want.gpuCount} in datacenter ${want.datacenterId}; in stock now: ${offers || "nothing"}`,
      { cloud: "GPCN" },
    );
  }
  if (want.skuCode && count.availableSkus && count.availableSkus.length && !count.availableSkus.some((s) => s.skuCode === want.skuCode)) {
    throw new CapacityError(
      `GPCN SKU ${want.skuCode} is not available for ${series.name} ×${want.gpuCount} there; available: ${count.availableSkus.map((s) => s.skuCode).join(", ")}`,
      { cloud: "GPCN" },
    );
  }
  return { seriesId: series.id, seriesCode: series.code ?? undefined };
}

/** Where an existing VM differs from the declared immutable inputs (empty = it is this resource's VM). */
export function configurationMismatches(vm: GpcnVm, inputs: GpuVmInputs & { seriesCode?: string }): Mismatch[] {
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


async function waitUntilRunning(client: GpcnClient, vmId: string, job: GpcnJob | undefined, inputs: GpuVmInputs, deadlineAt: number) {
  const now = Date.now();
  const what = job ? `GPCN job ${job.jobId} (create VM "${inputs.name}")` : `GPCN VM ${vmId} ("${inputs.name}") to run`;
  if (job) {
    const initial = jobOutcome(job, job.jobId, now);
    if (initial.state === "success") return;
    await waitUntil({
      what,
      initial,
      deadlineAt,
      poll: async () => jobOutcome(await client.loadJob(job.jobId), job.jobId, Date.now()),
      onProgress: waitProgress(TYPE, inputs.name),
      heartbeatMs: 30_000,
    });
  } else {
    await waitUntil({
      what,
      deadlineAt,
      minDelayMs: 1000,
      poll: async () => vmOutcome(await client.loadVm(vmId), "running"),
      onProgress: waitProgress(TYPE, inputs.name),
      heartbeatMs: 30_000,
    });
  }
}

/**
 * POSTs the create unless a VM of this name already exists (a re-run after a crash or a lost
 * answer): GPCN has no idempotency key, so the name is the marker.
 */
/**
 * GPCN has no idempotency key: a VM with this name and every immutable input is this resource's
 * (a re-run after a crash or a lost answer). Same name, other configuration: someone else's, e.g.
 * the VM being replaced.
 */
async function createOrAdopt(client: GpcnClient, inputs: GpuVmInputs & { seriesCode?: string }, body: Record<string, unknown>) {
  const matching = async (listed: GpcnVm[]) => {
    for (const candidate of listed.filter((v) => !v.deleted && vmPhase(v.status) !== "gone" && !/^delet/i.test(v.status))) {
      const vm = (await client.getVm(candidate.id)) ?? candidate; // list items lack sshKeyId and image
      if (configurationMismatches(vm, inputs).length === 0) return { vmId: vm.id } as { vmId: string; job?: GpcnJob };
    }
    return undefined;
  };
  const { result } = await createOnce({
    what: `${TYPE} "${inputs.name}"`,
    findExisting: async (fresh) => matching(fresh ? await client.findVmsByNameNow(inputs.name) : await client.findVmsByName(inputs.name)),
    send: async () => {
      const job = await client.createVm(body);
      if (job.resourceId) return { vmId: job.resourceId, job };
      const listed = await matching(await client.findVmsByNameNow(inputs.name)); // older API: id only once done
      if (listed) return { ...listed, job };
      throw new GpuCloudError(`GPCN accepted the create of "${inputs.name}" but reported no VM id`, { cloud: "GPCN" });
    },
  });
  return result;
}

async function create(ctx: CallContext, inputs: GpuVmInputs) {
  const client = gpcnClientFor(ctx.settings);
  const started = Date.now();
  let seriesId = inputs.seriesId;
  let seriesCode = inputs.seriesCode;
  if (!seriesId) ({ seriesId, seriesCode } = resolveSeries(await client.sharedInventory(), inputs));
  const body = compact({
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
  const withSeries = compact({ ...inputs, seriesId, seriesCode });
  const { vmId, job } = await createOrAdopt(client, { ...inputs, seriesCode }, body);
  // From here on the VM exists and bills: every failure must carry its id (partial create).
  return afterCreate({
    what: `${TYPE} "${inputs.name}"`,
    id: vmId,
    work: async () => {
      await waitUntilRunning(client, vmId, job, inputs, started + inputs.createTimeoutSeconds * 1000);
      const vm = await client.loadVm(vmId);
      if (!vm) throw new GpuCloudError(`GPCN VM ${vmId} disappeared right after its create job completed`, { cloud: "GPCN" });
      return { id: vmId, outs: outputsOf(withSeries, vm) };
    },
    properties: async () => ({ ...inputs, ...outputsOf(withSeries, await client.getVm(vmId).catch(() => undefined)) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = gpcnClientFor(ctx.settings);
  const vm = await client.loadVm(id);
  if (!vm || vm.deleted || vmPhase(vm.status) === "gone") return {};
  const outs = outputsOf({}, vm, props);
  // Out-of-band renames and regrouping show up as changed inputs, so the next diff puts them back.
  outs.name = vm.name;
  if (vm.resourceGroupId && props.resourceGroupId !== undefined) outs.resourceGroupId = vm.resourceGroupId;
  const inputs = declaredInputs(gpuVmInputs, { ...props, name: vm.name, resourceGroupId: outs.resourceGroupId });
  return { id, props: outs, inputs };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: GpuVmInputs, plan: { inPlace: Array<{ field: string; to: unknown }> }) {
  const client = gpcnClientFor(ctx.settings);
  let vm: GpcnVm | undefined;
  if (plan.inPlace.length) {
    const body = Object.fromEntries(plan.inPlace.map((c) => [c.field, c.to]));
    vm = await client.updateVm(id, body);
  }
  vm = (await client.getVm(id)) ?? vm;
  if (!vm) throw new GpuCloudError(`GPCN VM ${id} no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "GPCN" });
  // An earlier create that did not finish (partial create) continues here.
  if (vmPhase(vm.status) === "inProgress") {
    try {
      await waitUntilRunning(client, id, undefined, news, Date.now() + news.createTimeoutSeconds * 1000);
      vm = (await client.getVm(id)) ?? vm;
    } catch (err) {
      throw new PartialCreateError(`${TYPE} "${news.name}": VM ${id} is still not ready: ${(err as Error).message}`, id, { ...olds, ...news }, [(err as Error).message]);
    }
  }
  return outputsOf({ ...news, seriesId: news.seriesId ?? olds.seriesId, seriesCode: news.seriesCode ?? olds.seriesCode }, vm, olds);
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
  if (!vm || vm.deleted || vmPhase(vm.status) === "gone") throw new NotFoundError(`GPCN has no VM ${id} to adopt`, { cloud: "GPCN" });
  let seriesCode = inputs.seriesCode;
  if (!seriesCode && inputs.seriesId) {
    const inv = await client.inventory().catch(() => undefined); // lists only stocked series: best effort
    seriesCode = inv?.series.find((s) => s.id === inputs.seriesId)?.code ?? undefined;
  }
  const mismatches = configurationMismatches(vm, { ...inputs, seriesCode });
  if (mismatches.length) throw adoptionMismatchError("GPCN", "GPCN VM", id, mismatches);
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
      if (vmPhase(now.status) === "inProgress") await waitUntilRunning(client, id, undefined, inputs, Date.now() + inputs.createTimeoutSeconds * 1000);
      return { id, outs: outputsOf(withSeries, (await client.getVm(id)) ?? now) };
    },
    properties: async () => ({ ...inputs, ...outputsOf(withSeries, vm) }),
  });
}

export const gpcnGpuVm = defineResource({
  type: TYPE,
  cloud: gpcnCloud,
  inputSchema: gpuVmInputs,
  rules: gpuVmRules,
  crossCheck: (i, known) => {
    if (!known("seriesId") || !known("seriesCode")) return [];
    if (i.seriesId && i.seriesCode) return [{ property: "seriesCode", reason: "set either seriesId or seriesCode, not both" }];
    if (!i.seriesId && !i.seriesCode) return [{ property: "seriesCode", reason: "set seriesId or seriesCode (e.g. h100_series)" }];
    return [];
  },
  create: (ctx, inputs) => create(ctx, inputs),
  read,
  update: (ctx, id, olds, news, plan) => update(ctx, id, olds, news, plan),
  delete: destroy,
  adopt,
  price: priceOf,
});
