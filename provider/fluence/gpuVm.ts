import { z } from "zod";
import { systemClock } from "../core/clock";
import { createOnce } from "../core/createOnce";
import { normalizers, ResourceRules } from "../core/diffRules";
import { adoptionMismatchError, Mismatch } from "../core/adoption";
import { GpuCloudError, isKind, NotFoundError, QuotaError, ValidationError } from "../core/errors";
import { inputs as commonInputs } from "../core/inputValidation";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { createForecast, Forecast } from "../core/provisioningTimes";
import { Observation, waitUntil, WaiterFailureError, WaiterTimeoutError } from "../core/waiter";
import { FluenceClient, fluenceClientFor, fluenceCloud, FluenceKind } from "./client";
import { instancePhase, isGone, runningOutcome } from "./observations";
import { ChosenOption, checkOsImage, cheapestOption, describeOption, findOption, modelMatches, optionById } from "./planSelection";
import { FluenceInstance } from "./schemas";
import { FLUENCE_PUBLIC_KEY, PUBLIC_KEY_MESSAGE } from "./publicKeyFormat";
import { priceOf } from "./pricing";

const TYPE = "fluence:GpuVm";

/** Fluence's instance-name rule (shared/api/fluence.md §6). */
export const INSTANCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,23}[a-z0-9])?$/;

export const gpuVmInputs = z.object({
  name: z.string().regex(INSTANCE_NAME, "must be 1–25 characters of lowercase letters, digits and hyphens, not starting or ending with a hyphen"),
  kind: z.enum(["vm", "baremetal"], { message: 'must be "vm" or "baremetal"' }).default("vm"),
  planId: z.string().min(1).optional(),
  gpuModel: z.string().min(1).optional(),
  gpuCount: z.number().int().min(1).optional(),
  location: z.string().min(1).optional(),
  maxPricePerHour: z.number().positive().optional(),
  osImage: z.string().min(1),
  sshPublicKey: z.string().trim().regex(FLUENCE_PUBLIC_KEY, PUBLIC_KEY_MESSAGE),
  /** Fluence's API has no stop or start (fluence.md §8): only "running" is accepted, so a stop is refused at check. */
  powerState: z.literal("running", { message: 'Fluence has no power control (its API cannot stop or start an instance): only "running"' }).optional(),
  createTimeoutSeconds: commonInputs.deadlineSeconds(900),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
});
export type GpuVmInputs = z.infer<typeof gpuVmInputs>;

// {kind} is the path segment: vms or baremetal.
const PUT = "PUT /gpu/instances/{kind}/{id}";

export const gpuVmRules: ResourceRules = {
  type: TYPE,
  fields: {
    name: { change: "inPlace", via: PUT },
    kind: { change: "replace", why: "VMs and bare metal are separate products on Fluence" },
    planId: { change: "replace", why: "Fluence cannot move an instance to another offer", cloudDefault: true, doc: "resolved from the selection at create" },
    gpuModel: { change: "replace", why: "Fluence cannot change an instance's GPUs", normalize: normalizers.lowerCase, cloudDefault: true },
    gpuCount: { change: "replace", why: "Fluence cannot resize an instance", normalize: normalizers.number, cloudDefault: true },
    location: { change: "replace", why: "an instance cannot move", normalize: normalizers.lowerCase, cloudDefault: true },
    maxPricePerHour: { change: "stateOnly", doc: "chooses an option at create, and the budget guard: check refuses an option that costs more" },
    osImage: { change: "replace", why: "the OS is installed at deploy" },
    sshPublicKey: { change: "replace", why: "the key is installed at deploy", normalize: normalizers.sshPublicKey },
    powerState: { change: "stateOnly", doc: "only `running`: Fluence cannot stop an instance" },
    createTimeoutSeconds: { change: "stateOnly" },
    deleteTimeoutSeconds: { change: "stateOnly" },
  },
};

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

// Inputs the user may drop without a change (the cloud filled them in) are carried over from
// earlier outputs; others are not, or a removed input would linger and diff forever.
const carriedInputs = new Set(Object.entries(gpuVmRules.fields).filter(([, r]) => r.cloudDefault).map(([k]) => k));
function carried(previous: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(previous).filter(([k]) => !(k in gpuVmInputs.shape) || carriedInputs.has(k)));
}

function planOutputs(chosen: ChosenOption | undefined) {
  if (!chosen) return {};
  const o = chosen.option;
  return {
    planId: o.id,
    location: o.location,
    gpuModel: chosen.gpuModel.model,
    gpuCount: chosen.gpuCount,
    pricePerHour: o.pricePerHour,
    currency: o.currency,
    plan: compact({
      provider: o.provider,
      deploymentType: o.deploymentType,
      gpuVendor: chosen.gpuModel.vendor,
      gpuModel: chosen.gpuModel.model,
      vram: chosen.gpuModel.vram,
      interface: chosen.gpuModel.interface,
      vcpu: o.vcpu,
      memoryGi: o.memoryGi,
      storageGi: o.storageGi,
      nvlink: o.nvlink,
    }),
  };
}

function instanceOutputs(i: FluenceInstance | undefined) {
  if (!i) return {};
  return {
    status: i.status,
    ip: i.ip,
    sshConnection: i.sshConnection,
    location: i.location,
    gpuModel: i.gpuModel?.model,
    gpuCount: i.gpuCount,
    createdAt: i.createdAt,
    billing: i.billing ? compact(i.billing) : undefined,
  };
}

/** Declared inputs as declared, then what the cloud filled in (status, ip, the resolved plan, billing). */
function outputsOf(inputs: Record<string, unknown>, i: FluenceInstance | undefined, chosen?: ChosenOption, previous: Record<string, unknown> = {}): Record<string, unknown> {
  return compact({ ...carried(previous), ...compact(planOutputs(chosen)), ...compact(instanceOutputs(i)), ...declaredInputs(gpuVmInputs, inputs) });
}


// A deploy answers only an id: the instance starts INITIALIZED (documented), said at once.
const JUST_DEPLOYED: Observation = { state: "retry", label: "INITIALIZED (deployed; provisioning typically takes 2–3 minutes)" };

/** "Provisioning typically takes 2–3 minutes" (fluence.md §6, documented). */
const FLUENCE_TYPICAL = { loMs: 120_000, hiMs: 180_000 };

async function waitUntilActive(client: FluenceClient, kind: FluenceKind, id: string, name: string, deadlineAt: number, initial?: Observation, forecast?: Forecast): Promise<FluenceInstance> {
  let activePolls = 0;
  const result = await waitUntil({
    what: `Fluence instance ${id} ("${name}") to become ACTIVE`,
    deadlineAt,
    initial,
    minDelayMs: 1000,
    // Without a forecast, no further apart than the naive client's 10 s cap.
    maxDelayMs: 10_000,
    forecast,
    poll: async () => {
      // Concurrent waiters share list calls; the poll that sees ACTIVE returns the full detail.
      const instance = await client.loadInstance(kind, id);
      if (instance && instancePhase(instance.status) === "active") activePolls++;
      return runningOutcome(instance, activePolls);
    },
    onProgress: waitProgress(TYPE, name),
    heartbeatMs: 30_000,
  });
  return result.value!;
}

/** Where an existing instance differs from the declared immutable inputs (empty = it is ours). */
export function configurationMismatches(i: FluenceInstance, inputs: GpuVmInputs): string[] {
  const out: string[] = [];
  if (i.osImage && i.osImage !== inputs.osImage) out.push(`osImage is ${i.osImage}`);
  if (i.sshKey && normalizers.sshPublicKey(i.sshKey) !== normalizers.sshPublicKey(inputs.sshPublicKey)) out.push("another SSH key");
  if (inputs.gpuModel && i.gpuModel && !modelMatches(i.gpuModel, inputs.gpuModel)) out.push(`gpuModel is ${i.gpuModel.model}`);
  if (inputs.gpuCount && i.gpuCount !== undefined && i.gpuCount !== inputs.gpuCount) out.push(`gpuCount is ${i.gpuCount}`);
  if (inputs.location && i.location && normalizers.lowerCase(i.location) !== normalizers.lowerCase(inputs.location)) out.push(`location is ${i.location}`);
  return out;
}

/**
 * Fluence has no idempotency key: a live instance with this name and every immutable input is
 * this resource's (a re-run after a crash or a lost answer). List items lack os_image and
 * ssh_key, so candidates are read in full. Concurrent creates share one listing; `fresh` (right
 * after a deploy whose answer was lost) lists anew for this create alone.
 */
async function findOurInstance(client: FluenceClient, inputs: GpuVmInputs, fresh: boolean): Promise<string | undefined> {
  const named = fresh ? await client.findInstancesByNameNow(inputs.kind, inputs.name) : await client.findInstancesByName(inputs.kind, inputs.name);
  const candidates = named.filter((i) => !isGone(i));
  for (const candidate of candidates) {
    const full = (await client.getInstance(inputs.kind, candidate.id)) ?? candidate;
    if (!isGone(full) && configurationMismatches(full, inputs).length === 0) return full.id;
  }
  return undefined;
}

/** Fluence's balance error says less than the user needs: deploying reserves hours of the price. */
function explainBalance(err: unknown, chosen: ChosenOption): unknown {
  if (!(err instanceof QuotaError)) return err;
  const { pricePerHour, upfrontHours, currency } = chosen.option;
  const total = pricePerHour === undefined ? "" : ` = ${+(pricePerHour * upfrontHours).toFixed(4)} ${currency}`;
  return new QuotaError(
    `${err.message}. Deploying on Fluence needs ${upfrontHours} hours of the plan's price on the balance ` +
      `(${upfrontHours} × ${pricePerHour ?? "?"} ${currency}/h${total} for option ${chosen.option.id}); top up the balance or choose a cheaper option`,
    { cloud: err.cloud, status: err.status, code: err.code, requestId: err.requestId, issues: err.issues },
  );
}

/** FAILED (refunded) or ENDED while provisioning: nothing bills and nothing is left to delete. */
function provisioningFailed(what: string, id: string, err: WaiterFailureError): GpuCloudError {
  return new GpuCloudError(
    `${what}: Fluence instance ${id} did not start: ${err.reason}. Fluence refunds a failed deployment and a FAILED or ENDED ` +
      `instance cannot run again, so it was not recorded in the stack; run \`pulumi up\` to deploy a new one. Observed: ${err.summary}`,
    { cloud: "Fluence", code: "FAILED" },
  );
}

async function create(ctx: CallContext, inputs: GpuVmInputs) {
  const client = fluenceClientFor(ctx.settings);
  const started = Date.now();
  const what = `${TYPE} "${inputs.name}"`;
  let chosen: ChosenOption | undefined;
  const { result: id, adopted } = await createOnce({
    what,
    findExisting: (fresh) => findOurInstance(client, inputs, fresh),
    send: async () => {
      // Plans are read right before each deploy: options vanish as they are rented. Deploys
      // asking at the same moment share one read (never a cached one).
      const groups = await client.sharedPlans(inputs.kind);
      const option = inputs.planId
        ? optionById(groups, inputs.planId)
        : cheapestOption(groups, { gpuModel: inputs.gpuModel!, gpuCount: inputs.gpuCount!, location: inputs.location, maxPricePerHour: inputs.maxPricePerHour });
      checkOsImage(option, inputs.osImage);
      chosen = option;
      if (!inputs.planId) logProgress("info", `${what}: deploying option ${option.option.id} (${describeOption(option)}, ${option.option.provider ?? "?"}), the cheapest match`);
      const body = { plan_id: option.option.id, name: inputs.name, ssh_key: inputs.sshPublicKey, os_image: inputs.osImage };
      try {
        return await client.deploy(inputs.kind, body);
      } catch (err) {
        throw explainBalance(err, option);
      }
    },
  });
  // Fluence gives no completion estimate; provisioning "typically takes 2–3 minutes" (fluence.md
  // §6, documented) is the window until instances of this option have been seen finishing.
  const forecast = adopted
    ? undefined
    : createForecast("fluence", ctx.settings.endpoint, `${inputs.kind}|${chosen?.option.id ?? inputs.planId ?? `${inputs.gpuModel}x${inputs.gpuCount}`}`, Date.now(), FLUENCE_TYPICAL);
  // From here on the instance exists and may bill: every failure but FAILED/ENDED carries its id.
  const outcome = await afterCreate({
    what,
    id,
    work: async () => {
      try {
        const instance = await waitUntilActive(client, inputs.kind, id, inputs.name, started + inputs.createTimeoutSeconds * 1000, adopted ? undefined : JUST_DEPLOYED, forecast);
        return { instance, failed: undefined };
      } catch (err) {
        if (err instanceof WaiterFailureError && err.lastValue && isGone(err.lastValue as FluenceInstance)) return { instance: undefined, failed: err };
        throw err;
      }
    },
    properties: async () => ({ ...inputs, ...outputsOf(inputs, await client.getInstance(inputs.kind, id).catch(() => undefined), chosen) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
  if (outcome.failed) throw provisioningFailed(what, id, outcome.failed);
  return { id, outs: outputsOf(inputs, outcome.instance, chosen) };
}

const kindOf = (props: Record<string, unknown>): FluenceKind => (props.kind === "baremetal" ? "baremetal" : "vm");

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const instance = await fluenceClientFor(ctx.settings).getInstance(kindOf(props), id);
  // 404, FAILED and ENDED: the instance is gone for good.
  if (!instance || isGone(instance)) return {};
  const outs = outputsOf(props, instance, undefined, props);
  // A rename made in the console comes back as a changed input, so the next diff renames it back.
  outs.name = instance.name;
  return { id, props: outs, inputs: declaredInputs(gpuVmInputs, outs) };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: GpuVmInputs, plan: { inPlace: Array<{ field: string }> }) {
  const client = fluenceClientFor(ctx.settings);
  if (plan.inPlace.some((c) => c.field === "name")) await client.rename(news.kind, id, news.name);
  let instance = await client.getInstance(news.kind, id);
  if (!instance || isGone(instance)) {
    throw new GpuCloudError(`Fluence instance ${id} is ${instance?.status ?? "gone"}; run \`pulumi refresh\` to drop it from the stack`, { cloud: "Fluence" });
  }
  // An earlier create that did not finish (partial create) continues here.
  if (instancePhase(instance.status) === "starting") {
    try {
      instance = await waitUntilActive(client, news.kind, id, news.name, Date.now() + news.createTimeoutSeconds * 1000);
    } catch (err) {
      const message = (err as Error).message;
      throw new PartialCreateError(`${TYPE} "${news.name}": instance ${id} is still not ACTIVE: ${message}`, id, { ...olds, ...news }, [message]);
    }
  }
  return outputsOf(news, instance, undefined, olds);
}

async function destroy(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = fluenceClientFor(ctx.settings);
  const kind = kindOf(props);
  const name = String(props.name ?? id);
  const timeoutSec = Number(props.deleteTimeoutSeconds ?? 900);
  const deadlineAt = Date.now() + timeoutSec * 1000;
  for (let refused = 0; ; ) {
    // Only the status matters here: concurrent deletes share one list call.
    const instance = await client.loadStatus(kind, id);
    if (isGone(instance)) return; // FAILED, ENDED or 404: nothing runs, nothing bills
    if (instancePhase(instance!.status) === "starting") {
      // Fluence only terminates ACTIVE instances: wait for it to come up, then terminate.
      logProgress("info", `${TYPE} "${name}": instance ${id} is ${instance!.status}; Fluence only terminates ACTIVE instances, waiting for ACTIVE`);
      try {
        await waitUntil({
          what: `Fluence instance ${id} ("${name}") to become ACTIVE so it can be terminated`,
          deadlineAt,
          minDelayMs: 1000,
          poll: async () => {
            const now = await client.loadStatus(kind, id);
            return { state: instancePhase(now?.status) === "starting" && now ? "retry" : "success", label: now?.status ?? "gone", value: now };
          },
          onProgress: waitProgress(TYPE, name, "before terminating"),
        });
      } catch (err) {
        if (err instanceof WaiterTimeoutError) {
          throw new Error(`${TYPE} "${name}": not deleted within deleteTimeoutSeconds (${timeoutSec}): ${err.message}. It stays in the stack; run \`pulumi destroy\` again once it is ACTIVE`);
        }
        throw err;
      }
      continue;
    }
    try {
      await client.terminate(kind, id);
      return;
    } catch (err) {
      // "Only ACTIVE instances can be terminated": its status changed under us; look again.
      if (!isKind(err, "conflict") || Date.now() >= deadlineAt) throw err;
      refused++;
      logProgress("info", `${TYPE} "${name}": Fluence refused to terminate ${id} (${(err as Error).message}); checking its status again`);
      await systemClock.sleep(Math.min(1000 * refused, Math.max(0, deadlineAt - Date.now())));
    }
  }
}

/**
 * Where an instance to adopt differs from the program. Fluence shows kind, GPU model and count,
 * location, OS image and the installed key; the plan option is checked through the plans when it
 * is still offered (instances do not name theirs). Not verified: planId once the option is no
 * longer offered, and maxPricePerHour, which only steers the choice at create (billing's
 * hourly_usage is not documented as the price).
 */
export function adoptionMismatches(i: FluenceInstance, inputs: GpuVmInputs, plan: ChosenOption | undefined): Mismatch[] {
  const out: Mismatch[] = [];
  const differs = (field: string, actual: unknown, declared: unknown) => out.push({ field, actual, declared });
  if (i.kind && i.kind !== inputs.kind) differs("kind", i.kind, inputs.kind);
  if (i.osImage && i.osImage !== inputs.osImage) differs("osImage", i.osImage, inputs.osImage);
  if (i.sshKey && normalizers.sshPublicKey(i.sshKey) !== normalizers.sshPublicKey(inputs.sshPublicKey)) differs("sshPublicKey", i.sshKey, inputs.sshPublicKey);
  if (inputs.gpuModel && (!i.gpuModel || !modelMatches(i.gpuModel, inputs.gpuModel))) differs("gpuModel", i.gpuModel?.model, inputs.gpuModel);
  if (inputs.gpuCount !== undefined && i.gpuCount !== inputs.gpuCount) differs("gpuCount", i.gpuCount, inputs.gpuCount);
  if (inputs.location && normalizers.lowerCase(i.location ?? "") !== normalizers.lowerCase(inputs.location)) differs("location", i.location, inputs.location);
  if (plan) {
    const fits =
      !!i.gpuModel && modelMatches(i.gpuModel, plan.gpuModel.model) && i.gpuCount === plan.gpuCount && normalizers.lowerCase(i.location ?? "") === normalizers.lowerCase(plan.option.location ?? "");
    if (!fits) differs("planId", `${i.gpuModel?.model ?? "?"} ×${i.gpuCount ?? "?"} ${i.location ?? "?"}`, `${plan.option.id} (${describeOption(plan)})`);
  }
  return out;
}

/** The instance to adopt, or why not: unknown id, another kind, or FAILED/ENDED (it can never run again). */
async function instanceToAdopt(client: FluenceClient, id: string, kind: FluenceKind): Promise<FluenceInstance> {
  const other: FluenceKind = kind === "vm" ? "baremetal" : "vm";
  const get = async (k: FluenceKind) => {
    try {
      return await client.getInstance(k, id);
    } catch (err) {
      // Fluence answers 422 for an id that is not a UUID: no instance can have it.
      if (!isKind(err, "validation")) throw err;
      throw new ValidationError(`Fluence has no instance ${id} to adopt (${(err as Error).message})`, { cloud: "Fluence", issues: [{ path: "adoptId", message: "is not a Fluence instance id" }] });
    }
  };
  const instance = await get(kind);
  if (!instance) {
    const elsewhere = await get(other);
    if (elsewhere && !isGone(elsewhere)) throw adoptionMismatchError("Fluence", "Fluence instance", id, [{ field: "kind", actual: other, declared: kind }]);
    throw new NotFoundError(`Fluence has no ${kind} instance ${id} to adopt`, { cloud: "Fluence" });
  }
  if (isGone(instance)) throw new NotFoundError(`Fluence instance ${id} is ${instance.status} and can never run again: nothing to adopt`, { cloud: "Fluence" });
  return instance;
}

/** `adoptId`: take over an instance made outside Pulumi (pulumi/pulumi#16175), after checking it is what the program declares. */
async function adopt(ctx: CallContext, id: string, inputs: GpuVmInputs) {
  const client = fluenceClientFor(ctx.settings);
  const what = `${TYPE} "${inputs.name}"`;
  const instance = await instanceToAdopt(client, id, inputs.kind);
  const plan = inputs.planId ? findOption(await client.sharedPlans(inputs.kind), inputs.planId) : undefined;
  if (inputs.planId && !plan) logProgress("warn", `${what}: plan option ${inputs.planId} is no longer offered, so it cannot be compared with instance ${id}`);
  // Documented in the detail object, but older answers lacked them: say so rather than refuse.
  const unseen = [!instance.osImage && "osImage", !instance.sshKey && "sshPublicKey"].filter(Boolean);
  if (unseen.length) logProgress("warn", `${what}: Fluence does not show ${unseen.join(" or ")} of instance ${id}, so it was not verified`);
  const mismatches = adoptionMismatches(instance, inputs, plan);
  if (mismatches.length) throw adoptionMismatchError("Fluence", "Fluence instance", id, mismatches);
  logProgress("info", `${what}: adopting instance ${id} (${instance.status}); it matches the program`);
  // Verified: from here on a failure records the instance (partial create), never loses it.
  const outcome = await afterCreate({
    what,
    id,
    work: async () => {
      if (instance.name !== inputs.name) {
        await client.rename(inputs.kind, id, inputs.name);
        logProgress("info", `${what}: renamed adopted instance ${id} from "${instance.name}"`);
      }
      if (instancePhase(instance.status) === "active" && (instance.sshConnection || instance.ip)) {
        return { instance, failed: undefined };
      }
      try {
        return { instance: await waitUntilActive(client, inputs.kind, id, inputs.name, Date.now() + inputs.createTimeoutSeconds * 1000), failed: undefined };
      } catch (err) {
        if (err instanceof WaiterFailureError && err.lastValue && isGone(err.lastValue as FluenceInstance)) return { instance: undefined, failed: err };
        throw err;
      }
    },
    // A rename that did not happen is recorded as Fluence has it, so the next `up` renames.
    properties: async () => {
      const now = await client.getInstance(inputs.kind, id).catch(() => undefined);
      return { ...inputs, ...outputsOf(inputs, now, plan), ...(now ? { name: now.name } : {}) };
    },
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
  if (outcome.failed) {
    // FAILED or ENDED: refunded or terminated, it never runs again and bills nothing, so it is not recorded.
    throw new GpuCloudError(
      `${what}: Fluence instance ${id} did not start while being adopted: ${outcome.failed.reason}. A FAILED or ENDED instance cannot run again, ` +
        `so it was not recorded in the stack; remove adoptId to deploy a new one. Observed: ${outcome.failed.summary}`,
      { cloud: "Fluence", code: "FAILED" },
    );
  }
  return { id, outs: outputsOf(inputs, outcome.instance, plan) };
}

export const fluenceGpuVm = defineResource({
  type: TYPE,
  cloud: fluenceCloud,
  inputSchema: gpuVmInputs,
  rules: gpuVmRules,
  crossCheck: (i, known) => {
    if (!known("planId") || !known("gpuModel") || !known("gpuCount")) return [];
    if (i.planId && (i.gpuModel || i.gpuCount)) return [{ property: "planId", reason: "set planId, or a selection (gpuModel and gpuCount), not both" }];
    // maxPricePerHour is also the budget guard (core/pricing.ts), so it may go with planId.
    if (i.planId && i.location) {
      return [{ property: "location", reason: "only narrows a selection (gpuModel and gpuCount); planId already names one option" }];
    }
    if (!i.planId && !i.gpuModel && !i.gpuCount) {
      return [{ property: "planId", reason: "set planId (an option id from fluence.getPlans()), or gpuModel and gpuCount to deploy the cheapest matching option" }];
    }
    if (!i.planId && !i.gpuModel) return [{ property: "gpuModel", reason: "is required with gpuCount (e.g. h200)" }];
    if (!i.planId && !i.gpuCount) return [{ property: "gpuCount", reason: "is required with gpuModel" }];
    return [];
  },
  create: (ctx, inputs) => create(ctx, inputs),
  read,
  update: (ctx, id, olds, news, plan) => update(ctx, id, olds, news, plan),
  delete: destroy,
  adopt,
  price: priceOf,
});
