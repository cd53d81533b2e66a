import { randomBytes } from "node:crypto";
import { z } from "zod";
import { adoptionMismatchError, Mismatch } from "../core/adoption";
import { Candidate, createOnce, serializedBy } from "../core/createOnce";
import { ResourceRules, ChangePlan, stableJson } from "../core/diffRules";
import { ConflictError, GpuCloudError, NotFoundError, ValidationError } from "../core/errors";
import { inputs as commonInputs } from "../core/inputValidation";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { createForecast, Forecast } from "../core/provisioningTimes";
import { waitUntil, WaiterTimeoutError } from "../core/waiter";
import { systemClock } from "../core/clock";
import { NovaClient, novaClientFor, novaCloud } from "./client";
import { gpuTypeKey, sameGpuType } from "./gpuTypes";
import { goneOutcome, runningOutcome, vmPhase } from "./observations";
import { pickCheapestOffer } from "./offers";
import { NovaVm } from "./schemas";
import { NOVA_TEMPLATES, templateId, templateKey } from "./templates";
import { priceOf } from "./pricing";

const TYPE = "nova:GpuVm";

const oneOf = <T extends number>(values: T[], message: string) =>
  z.union(values.map((v) => z.literal(v)) as unknown as [z.ZodLiteral<T>, z.ZodLiteral<T>], { message });

export const gpuVmInputs = z.object({
  /** Kept as the VM's `instance_label` (Nova's create has no name field). */
  name: z.string().min(1).max(100),
  gpuType: z.string().trim().min(1),
  gpuCount: oneOf([1, 2, 4, 8], "must be 1, 2, 4 or 8"),
  storageGb: z.number().int().min(50, "must be at least 50 (GB)"),
  templateVmid: z
    .union([z.number().int().positive(), z.string().min(1)])
    .refine((v) => templateId(v) !== undefined, { message: `must be a template id or one of ${Object.keys(NOVA_TEMPLATES).join(", ")}` })
    .default(101),
  node: z.string().min(1).optional(),
  rentalType: z.enum(["on_demand", "reserved", "interruptible"]).default("on_demand"),
  reservationMonths: oneOf([1, 3, 6], "must be 1, 3 or 6").optional(),
  authMethod: z.enum(["ssh_key", "password"]).default("ssh_key"),
  sshKeyId: z.string().min(1).optional(),
  password: z.string().min(12, "must be at least 12 characters").optional(),
  autoRestart: z.boolean().optional(),
  createTimeoutSeconds: commonInputs.deadlineSeconds(1800),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
});
export type GpuVmInputs = z.infer<typeof gpuVmInputs>;

const PATCH = "PATCH /vms/{id}";
const INFERRED_PATCH = "the route is inferred: if Nova lacks it, a rename is kept in the stack only";

export const gpuVmRules: ResourceRules = {
  type: TYPE,
  fields: {
    name: { change: "inPlace", via: `${PATCH} (instance_label)`, doc: INFERRED_PATCH },
    autoRestart: { change: "inPlace", via: `${PATCH} (auto_restart)`, cloudDefault: true, doc: "inferred route" },
    gpuType: { change: "replace", why: "Nova cannot change a VM's GPU", normalize: gpuTypeKey, doc: "aliases such as `pro6000` / `rtx 5090` are the same type" },
    gpuCount: { change: "replace", why: "Nova cannot resize a VM" },
    storageGb: { change: "replace", why: "Nova has no disk resize" },
    templateVmid: { change: "replace", why: "the template is cloned at create", normalize: templateKey, doc: "a template name and its id are the same" },
    node: { change: "replace", why: "a VM cannot move between nodes", cloudDefault: true, doc: "when not declared, the cheapest available /search offer matching gpuType and gpuCount is chosen at create" },
    rentalType: { change: "replace", why: "the rental type is fixed at create" },
    reservationMonths: { change: "replace", why: "the reservation is made at create" },
    authMethod: { change: "replace", why: "credentials are installed at create" },
    sshKeyId: { change: "replace", why: "the key is installed in the VM at create" },
    password: { change: "replace", why: "set at create; Nova has no password change" },
    createTimeoutSeconds: { change: "stateOnly" },
    deleteTimeoutSeconds: { change: "stateOnly" },
  },
};

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

function outputsOf(inputs: Record<string, unknown>, vm: NovaVm | undefined, previous: Record<string, unknown> = {}) {
  // Declared inputs stay as declared (no perpetual diff from Nova's spellings); the rest comes from Nova.
  const fromCloud: Record<string, unknown> = vm
    ? {
        node: vm.node,
        autoRestart: vm.autoRestart,
        status: vm.status,
        ip: vm.ip,
        vmid: vm.vmid,
        instanceLabel: vm.label,
        hourlyRate: vm.hourlyRate,
        gpuHourlyRate: vm.gpuHourlyRate,
        storageHourlyRate: vm.storageHourlyRate,
        ramGb: vm.ramGb,
        cpuCores: vm.cpuCores,
        reservationId: vm.reservationId,
        createdAt: vm.createdAt,
      }
    : {};
  return compact({ ...previous, ...compact(fromCloud), ...declaredInputs(gpuVmInputs, inputs) });
}

/** Where a VM differs from the declared immutable inputs (empty = it is this resource's VM). */
export function configurationMismatches(vm: NovaVm, want: GpuVmInputs): Mismatch[] {
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

function createBody(inputs: GpuVmInputs, node: string, gpuType: string): Record<string, unknown> {
  return compact({
    node,
    gpu_type: gpuType,
    gpu_count: inputs.gpuCount,
    storage_gb: inputs.storageGb,
    template_vmid: templateId(inputs.templateVmid),
    rental_type: inputs.rentalType,
    reservation_months: inputs.rentalType === "reserved" ? inputs.reservationMonths : undefined,
    auth_method: inputs.authMethod,
    // Nova defaults to the account's oldest key: always say which one.
    ssh_key_id: inputs.authMethod === "ssh_key" ? inputs.sshKeyId : undefined,
    password: inputs.authMethod === "password" ? inputs.password : undefined,
  });
}

/**
 * Where to put the VM: the declared node, or the cheapest available matching offer. The GPU type
 * is sent in the spelling /search uses. Nothing is bought when no offer fits (capacity, fast).
 */
async function placement(client: NovaClient, inputs: GpuVmInputs): Promise<{ node: string; gpuType: string; why?: string }> {
  if (inputs.node) {
    // /search only gives the spelling to send (and an early "unknown GPU type"): once an answer in
    // this process showed it for this node, it is not read again.
    const spelled = client.knownGpuTypeSpelling(inputs.node, inputs.gpuType);
    if (spelled) return { node: inputs.node, gpuType: spelled };
    const offers = await client.sharedSearch().catch(() => []); // an explicit node does not depend on /search
    const ofType = offers.filter((o) => sameGpuType(o.gpuType, inputs.gpuType));
    const known = ofType.find((o) => o.node === inputs.node) ?? ofType[0];
    if (offers.length && !known) pickCheapestOffer(offers, inputs); // throws the "unknown GPU type" error
    return { node: inputs.node, gpuType: known?.gpuType ?? inputs.gpuType };
  }
  const offer = pickCheapestOffer(await client.sharedSearch(), inputs);
  return { node: offer.node!, gpuType: offer.gpuType, why: `the cheapest available ${offer.gpuType} ×${offer.gpuCount} offer, $${offer.gpuPriceHourly}/GPU-h` };
}

/**
 * How old an unlabelled VM may be and still count as the leftover of an interrupted create of
 * this configuration (a crash between Nova's POST and the label PATCH). Older unlabelled VMs are
 * someone else's: a re-run after a crash happens within a day.
 */
export const UNLABELLED_LEFTOVER_MS = 24 * 3600_000;

/**
 * How long a create takes from Nova's POST to its label PATCH, generously (retries included). An
 * unlabelled VM younger than this may be another process's create in flight: it is looked at again
 * once it is older, and only a VM still unlabelled then counts as a leftover.
 */
export const LABEL_WINDOW_MS = 20_000;

/** Creates of one configuration whose VMs Nova cannot tell apart until they carry their label. */
const sameConfigurationKey = (endpoint: string, inputs: GpuVmInputs) =>
  `${TYPE}|${endpoint}|${stableJson(configurationOf(inputs))}`;

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
    .filter((v) => vmPhase(v) !== "gone" && configurationMismatches(v, inputs).length === 0)
    .filter((v) => v.label === inputs.name || (!v.label && now - Date.parse(v.createdAt ?? "") <= UNLABELLED_LEFTOVER_MS))
    .map((v) => ({ id: v.id, value: v, unrecorded: !v.label }));
}

async function createOrAdopt(
  ctx: CallContext,
  client: NovaClient,
  inputs: GpuVmInputs,
  reads: { listing: Promise<NovaVm[] | undefined>; placed: Promise<{ node: string; gpuType: string; why?: string }> },
): Promise<{ vm: NovaVm; adopted: boolean; why?: string }> {
  let why: string | undefined;
  const { result, adopted } = await createOnce({
    what: `${TYPE} "${inputs.name}"`,
    cloud: "Nova",
    scope: ctx.adoption,
    findCandidates: async (fresh) => {
      if (fresh) return candidatesIn(await client.listVms(), inputs, Date.now());
      const listed = candidatesIn(await reads.listing, inputs, Date.now());
      const young = (listed ?? []).filter((c) => c.unrecorded && !ctx.adoption.isClaimed(c.id)).map((c) => Date.parse(c.value.createdAt ?? "") + LABEL_WINDOW_MS - Date.now());
      if (!young.length || Math.max(...young) <= 0) return listed;
      logProgress("info", `${TYPE} "${inputs.name}": an unlabelled VM of this configuration is only seconds old; waiting to see whether another create labels it`);
      await systemClock.sleep(Math.max(...young));
      return candidatesIn(await client.listVms(), inputs, Date.now());
    },
    idOf: (vm) => vm.id,
    send: async () => {
      const { node, gpuType, why: reason } = await reads.placed;
      why = reason;
      return client.createVm(createBody(inputs, node, gpuType));
    },
    takeOver: ({ value: vm }) => claimLeftover(client, vm, inputs.name),
  });
  return { vm: result, adopted, why: adopted ? undefined : why };
}


async function waitUntilRunning(client: NovaClient, vm: NovaVm, inputs: GpuVmInputs, deadlineAt: number, forecast?: Forecast): Promise<NovaVm> {
  const initial = runningOutcome(vm, inputs.autoRestart ?? vm.autoRestart);
  if (initial.state === "success") return vm;
  const res = await waitUntil({
    what: `Nova VM ${vm.id} ("${inputs.name}") to run`,
    initial,
    deadlineAt,
    minDelayMs: 1000,
    // Without a forecast, no further apart than the naive client's 10 s cap.
    maxDelayMs: 10_000,
    // Nova gives no completion estimate and documents no provisioning time (nova.md §8, §Unknowns):
    // polls follow the times of VMs of the same kind seen before (core/provisioningTimes.ts).
    forecast,
    // Shared with every other waiter of the process: one GET /vms serves them all.
    poll: async () => runningOutcome(await client.loadVm(vm.id), inputs.autoRestart ?? vm.autoRestart),
    onProgress: waitProgress(TYPE, inputs.name),
    heartbeatMs: 30_000,
  });
  return res.value!;
}

/**
 * Sets the label (the marker of this resource's VM) and auto_restart. Returns the VM as the PATCH
 * answered it (when it did), false when Nova lacks the route.
 */
async function applyInPlace(client: NovaClient, id: string, name: string, body: Record<string, unknown>): Promise<NovaVm | undefined | false> {
  const res = await client.updateVm(id, body);
  if (res !== "unsupported") return res;
  if ("auto_restart" in body) {
    throw new GpuCloudError(`Nova has no route to change auto_restart of VM ${id} (PATCH /vms/{id} is not available); set autoRestart back or replace the VM`, { cloud: "Nova" });
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
async function claimLeftover(client: NovaClient, vm: NovaVm, name: string): Promise<NovaVm> {
  const current = await client.getVm(vm.id);
  if (!current || current.label) throw new GpuCloudError(`VM ${vm.id} was ${current ? `labelled "${current.label}"` : "deleted"} meanwhile`, { cloud: "Nova" });
  const token = `pulumi-claim-${randomBytes(6).toString("hex")}`;
  if ((await applyInPlace(client, vm.id, name, { instance_label: token })) === false) {
    throw new GpuCloudError("Nova cannot label VMs here, so an unlabelled VM may be a recorded one", { cloud: "Nova" });
  }
  await systemClock.sleep(CLAIM_SETTLE_MS);
  const settled = await client.getVm(vm.id);
  if (settled?.label !== token) throw new GpuCloudError(`another create claimed VM ${vm.id} at the same time`, { cloud: "Nova" });
  const patched = await applyInPlace(client, vm.id, name, { instance_label: name });
  return { ...settled, ...compact(patched || {}), label: name };
}

/**
 * Sets the label and auto_restart right after the POST. The VM as the PATCH answered it (it may be
 * running already, then no status poll is needed), or the error, kept for the partial create.
 */
async function markAsThisResources(client: NovaClient, first: NovaVm, inputs: GpuVmInputs): Promise<{ seen: NovaVm; failed?: unknown }> {
  const wanted = compact({
    instance_label: first.label === inputs.name ? undefined : inputs.name,
    auto_restart: inputs.autoRestart === undefined || inputs.autoRestart === first.autoRestart ? undefined : inputs.autoRestart,
  });
  if (!Object.keys(wanted).length) return { seen: first };
  try {
    const patched = await applyInPlace(client, first.id, inputs.name, wanted);
    // Fields the PATCH leaves out keep their values.
    return { seen: patched && patched.id === first.id ? { ...first, ...compact(patched) } : first };
  } catch (failed) {
    return { seen: first, failed };
  }
}

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
  const { vm: first, why, marked, adopted } = await serializedBy(sameConfigurationKey(ctx.settings.endpoint, inputs), async () => {
    const made = await createOrAdopt(ctx, client, inputs, { listing, placed });
    return { ...made, marked: await markAsThisResources(client, made.vm, inputs) };
  });
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
      return { id, outs: outputsOf(inputs, latest) };
    },
    properties: async () => ({ ...inputs, ...outputsOf(inputs, (await client.getVm(id).catch(() => undefined)) ?? latest) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  // A refresh of many VMs shares GET /vms listings; an id not listed is still asked for by itself.
  const vm = await novaClientFor(ctx.settings).loadVm(id);
  if (vmPhase(vm) === "gone") return {};
  const outs = outputsOf({}, vm, props);
  // An out-of-band relabel shows up as a changed input, so the next diff puts it back.
  if (vm!.label) outs.name = vm!.label;
  const phase = vmPhase(vm);
  if (phase === "interrupted" || phase === "offline") {
    logProgress("warn", `${TYPE} "${outs.name}": VM ${id} is ${vm!.status}; it still exists${phase === "interrupted" ? " (preempted; no GPU charge while interrupted)" : ""}`);
  }
  return { id, props: outs, inputs: declaredInputs(gpuVmInputs, { ...props, name: outs.name }) };
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
  if (!vm || vmPhase(vm) === "gone") throw new GpuCloudError(`Nova VM ${id} no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "Nova" });
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
    throw new PartialCreateError(`${TYPE} "${news.name}": ${why}`, id, { ...olds, ...outputsOf(withNode, vm, olds) }, [why]);
  }
  return outputsOf(withNode, vm, olds);
}

/** Nova may refuse to destroy a VM mid-transition (inferred): wait for it to settle, then try again. */
function isWrongState(err: unknown): boolean {
  return err instanceof ConflictError || (err instanceof ValidationError && /creating|starting|stopping|in progress|state|status/i.test(err.message));
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
  if (vmPhase(vm) === "gone") throw new NotFoundError(`Nova has no VM ${id} to adopt`, { cloud: "Nova" });
  const mismatches = configurationMismatches(vm!, inputs);
  if (mismatches.length) throw adoptionMismatchError("Nova", "Nova VM", id, mismatches);
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
      const now = vmPhase(vm) === "inProgress" ? await waitUntilRunning(client, vm!, inputs, Date.now() + inputs.createTimeoutSeconds * 1000) : vm!;
      return { id, outs: outputsOf(inputs, (await client.getVm(id)) ?? now) };
    },
    properties: async () => ({ ...inputs, ...outputsOf(inputs, vm) }),
  });
}

export const novaGpuVm = defineResource({
  type: TYPE,
  cloud: novaCloud,
  inputSchema: gpuVmInputs,
  rules: gpuVmRules,
  crossCheck: (i, known) => {
    const failures: { property: string; reason: string }[] = [];
    if (known("rentalType") && known("reservationMonths")) {
      if (i.rentalType === "reserved" && i.reservationMonths === undefined) failures.push({ property: "reservationMonths", reason: "is required when rentalType is reserved (1, 3 or 6)" });
      if (i.rentalType !== "reserved" && i.reservationMonths !== undefined) failures.push({ property: "reservationMonths", reason: "only applies when rentalType is reserved" });
    }
    if (known("authMethod") && known("password")) {
      if (i.authMethod === "password" && i.password === undefined) failures.push({ property: "password", reason: "is required when authMethod is password (at least 12 characters)" });
      if (i.authMethod !== "password" && i.password !== undefined) failures.push({ property: "password", reason: "only applies when authMethod is password" });
    }
    if (known("authMethod") && known("sshKeyId")) {
      if (i.authMethod === "ssh_key" && i.sshKeyId === undefined) failures.push({ property: "sshKeyId", reason: "is required when authMethod is ssh_key (Nova would otherwise install the account's oldest key)" });
      if (i.authMethod === "password" && i.sshKeyId !== undefined) failures.push({ property: "sshKeyId", reason: "only applies when authMethod is ssh_key" });
    }
    return failures;
  },
  create,
  read,
  update,
  delete: destroy,
  adopt,
  price: priceOf,
});
