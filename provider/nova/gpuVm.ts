import { z } from "zod";
import { adoptionMismatchError, Mismatch } from "../core/adoption";
import { createOnce } from "../core/createOnce";
import { ResourceRules, ChangePlan } from "../core/diffRules";
import { ConflictError, GpuCloudError, NotFoundError, ValidationError } from "../core/errors";
import { inputs as commonInputs } from "../core/inputValidation";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { createForecast, Forecast } from "../core/provisioningTimes";
import { waitUntil, WaiterTimeoutError } from "../core/waiter";
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

/** Slack for clock skew when recognising the VM a lost create made by its created_at. */
const SKEW_MS = 5 * 60_000;

/**
 * Nova has no idempotency key and no name at create. The label (set right after the POST) is the
 * marker across runs; after a lost answer, an unlabelled VM of exactly this configuration made
 * since the POST was sent is the one it made.
 */
async function createOrAdopt(client: NovaClient, inputs: GpuVmInputs): Promise<{ vm: NovaVm; adopted: boolean; why?: string }> {
  let sentAt = 0;
  let why: string | undefined;
  const live = (vms: NovaVm[]) => vms.filter((v) => vmPhase(v) !== "gone" && configurationMismatches(v, inputs).length === 0);
  const newest = (vms: NovaVm[]) => vms.sort((a, b) => Date.parse(b.createdAt ?? "") - Date.parse(a.createdAt ?? ""))[0];
  const { result, adopted } = await createOnce({
    what: `${TYPE} "${inputs.name}"`,
    findExisting: async (fresh) => {
      if (!fresh) return newest(live(await client.findVmsByLabel(inputs.name)));
      const all = live((await client.listVms()) ?? []);
      const mine = all.filter((v) => v.label === inputs.name || (!v.label && Date.parse(v.createdAt ?? "") >= sentAt - SKEW_MS));
      return newest(mine);
    },
    send: async () => {
      const { node, gpuType, why: reason } = await placement(client, inputs);
      why = reason;
      sentAt = Date.now();
      return client.createVm(createBody(inputs, node, gpuType));
    },
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

async function create(ctx: CallContext, inputs: GpuVmInputs) {
  const client = novaClientFor(ctx.settings);
  const started = Date.now();
  const { vm: first, why, adopted } = await createOrAdopt(client, inputs);
  const id = first.id;
  // Only a VM this call created has a known start for its provisioning time.
  const forecast = adopted ? undefined : createForecast("nova", ctx.settings.endpoint, `${first.gpuType ?? inputs.gpuType}x${first.gpuCount ?? inputs.gpuCount}|${first.rentalType ?? ""}`, Date.now());
  let latest: NovaVm | undefined = first;
  // From here on the VM exists and bills: every failure must carry its id (partial create).
  return afterCreate({
    what: `${TYPE} "${inputs.name}"`,
    id,
    work: async () => {
      const wanted = compact({
        instance_label: first.label === inputs.name ? undefined : inputs.name,
        auto_restart: inputs.autoRestart === undefined || inputs.autoRestart === first.autoRestart ? undefined : inputs.autoRestart,
      });
      let seen = first;
      if (Object.keys(wanted).length) {
        // The PATCH answers the VM as it is now: when that is already running (e.g. the PATCH
        // waited for the rate limit), no status poll is needed. Fields it leaves out keep their values.
        const patched = await applyInPlace(client, id, inputs.name, wanted);
        if (patched && patched.id === id) seen = { ...first, ...compact(patched) };
      }
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
