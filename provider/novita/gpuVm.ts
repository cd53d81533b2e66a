import { compact } from "../core/compact";
import { createOnce } from "../core/createOnce";
import { callOf, ChangePlan } from "../core/diffRules";
import { adoptionMismatchError } from "../core/adoption";
import { GpuCloudError, isKind, NotFoundError } from "../core/errors";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { createForecast } from "../core/provisioningTimes";
import { waitUntil, WaiterTimeoutError } from "../core/waiter";
import { adoptionMismatches, autoRenewChange, findOwnMachines, observedInPlace, readForAdoption, samePorts, userPortsOf } from "./adoption";
import { novitaClientFor, novitaCloud } from "./client";
import { crossCheckGpuVm, GpuVmInputs, gpuVmInputs } from "./inputs";
import { gpuVmRules, NovitaCall } from "./rules";
import { instanceMarker, MARKER_ENV } from "./instanceMarker";
import { goneOutcome, instancePhase } from "./observations";
import { gpuVmOutputsOf, pricingOf, userPorts } from "./outputs";
import { checkRootfs, resolveProduct } from "./planSelection";
import { createBody, upgradeBody } from "./requests";
import { NovitaInstance, NovitaProduct } from "./schemas";
import { anyListItem, pollInstance, waitAfterReset, waitUntilRunning } from "./waits";
import { priceOf } from "./pricing";
import { applyPowerState, powerStateOf } from "./powerState";

const TYPE = "novita:GpuVm";

async function create(ctx: CallContext, inputs: GpuVmInputs) {
  const client = novitaClientFor(ctx.settings);
  const started = Date.now();
  const what = `${TYPE} "${inputs.name}"`;
  const { productId, product } = await resolveProduct(client, inputs);
  const marker = instanceMarker(inputs);
  const pricing = pricingOf(product, inputs);
  const declared = { ...inputs, productId };
  const { result: id, adopted } = await createOnce({
    what,
    cloud: novitaCloud,
    scope: ctx.adoption,
    serializeKey: `${TYPE}|${ctx.settings.endpoint}|${inputs.name}`,
    findCandidates: (fresh) => findOwnMachines(client, inputs, productId, marker, fresh),
    idOf: (newId) => newId,
    send: async () => {
      const newId = await client.createInstance(createBody(inputs, productId, marker));
      if (!newId) throw new GpuCloudError(`Novita accepted the create of "${inputs.name}" but answered no instance id`, { cloud: "novita" });
      return newId;
    },
  });
  // Only an instance this call created has a known start for its provisioning time.
  const forecast = adopted ? undefined : createForecast("novita", ctx.settings.endpoint, `${productId}x${inputs.gpuCount}`, Date.now());
  // From here on the instance exists and may bill (from `pulling` on): every failure carries its id.
  return afterCreate({
    what,
    id,
    work: async () => {
      let instance = await waitUntilRunning(client, id, inputs.name, started + inputs.createTimeoutSeconds * 1000, forecast);
      // Novita creates running instances: one declared stopped is stopped once it runs.
      if (inputs.powerState === "stopped") instance = await applyPowerState(client, id, inputs.name, "stopped", started + inputs.createTimeoutSeconds * 1000);
      return { id, outs: gpuVmOutputsOf(declared, instance, pricing) };
    },
    properties: async () => ({ ...inputs, ...gpuVmOutputsOf(declared, await client.getInstance(id).catch(() => undefined), pricing) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = novitaClientFor(ctx.settings);
  const instance = await client.getInstance(id);
  if (!instance || instancePhase(instance.status) === "gone") return {};
  const outs = gpuVmOutputsOf({}, instance, {}, props);
  if (props.name !== undefined && instance.name && instance.name !== props.name) {
    // Novita cannot rename, so following the console's name would replace the instance: keep the stack's.
    logProgress("warn", `${TYPE} "${props.name}": Novita shows instance ${id} named "${instance.name}"; the stack keeps "${props.name}"`);
  }
  // Ports changed in the console come back as changed inputs, so the next `up` puts them back through edit.
  const ports = userPorts(instance, props);
  if (props.ports !== undefined || ports.length) outs.ports = ports;
  // A declared powerState follows the instance, so a stop made outside Pulumi shows as drift and the next up restores it.
  const power = props.powerState !== undefined ? powerStateOf(instance) : undefined;
  if (power) outs.powerState = power;
  const inputs = declaredInputs(gpuVmInputs, { ...props, ports: outs.ports, ...(power ? { powerState: power } : {}) });
  return { id, props: outs, inputs };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: GpuVmInputs, plan: ChangePlan) {
  const client = novitaClientFor(ctx.settings);
  let instance = await client.getInstance(id);
  if (!instance || instancePhase(instance.status) === "gone") {
    throw new GpuCloudError(`Novita instance ${id} no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "novita" });
  }
  // An earlier create that did not finish (partial create) continues here.
  if (instancePhase(instance.status) === "inProgress") {
    try {
      instance = await waitUntilRunning(client, id, news.name, Date.now() + news.createTimeoutSeconds * 1000);
    } catch (err) {
      throw new PartialCreateError(`${TYPE} "${news.name}": instance ${id} is still not ready: ${(err as Error).message}`, id, { ...olds, ...news }, [(err as Error).message]);
    }
  }
  const fields = new Set(plan.inPlace.map((c) => c.field));
  const via = (call: NovitaCall) => [...fields].some((f) => callOf(gpuVmRules, f) === call);
  // A start goes first (edit and upgrade need a running instance); a stop last.
  const deadlineAt = Date.now() + news.createTimeoutSeconds * 1000;
  if (via("power") && news.powerState === "running") instance = await applyPowerState(client, id, news.name, "running", deadlineAt);
  if (via("edit")) {
    const growBy = fields.has("rootfsSize") ? news.rootfsSize - Number(olds.rootfsSize) : 0;
    const toolPorts = (news.tools ?? []).map((t) => ({ port: t.port, type: t.type }));
    await client.editInstance(id, {
      // The whole list replaces the old one; tools keep their ports.
      ports: fields.has("ports") ? [...(news.ports ?? []), ...toolPorts] : undefined,
      expandRootDisk: growBy > 0 ? growBy : undefined,
    });
  }
  if (via("upgrade")) {
    logProgress("warn", `${TYPE} "${news.name}": resetting instance ${id} to apply ${[...fields].filter((f) => callOf(gpuVmRules, f) === "upgrade").join(", ")}`);
    await client.upgradeInstance(upgradeBody(id, news, instanceMarker(news)));
    instance = await waitAfterReset(client, id, news.name, Date.now() + news.createTimeoutSeconds * 1000);
  }
  if (via("autoRenew")) {
    await client.setAutoRenew(id, news.autoRenew ?? false, news.autoRenewMonth ?? (Number(olds.autoRenewMonth) || 1));
  }
  if (via("power") && news.powerState === "stopped") instance = await applyPowerState(client, id, news.name, "stopped", deadlineAt);
  instance = (await client.getInstance(id)) ?? instance;
  const pricing = { pricePerGpuHourUsd: olds.pricePerGpuHourUsd, pricePerHourUsd: olds.pricePerHourUsd };
  return gpuVmOutputsOf({ ...news, productId: news.productId ?? olds.productId }, instance, compact(pricing), olds);
}

async function destroy(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = novitaClientFor(ctx.settings);
  const name = String(props.name ?? id);
  const deadlineAt = Date.now() + Number(props.deleteTimeoutSeconds ?? 900) * 1000;
  try {
    if ((await client.deleteInstance(id)) === "gone") return;
  } catch (err) {
    if (err instanceof GpuCloudError && err.code === "PREPAID_INSTANCE_NOT_SUPPORT_RELEASE") {
      const until = props.endTime ? ` before it ends at ${props.endTime}` : "";
      throw new GpuCloudError(
        `Novita does not release a monthly (prepaid) instance${until}: instance ${id} ("${name}") stays and is kept in the stack. ` +
          `Turn autoRenew off, and delete it once it has ended. (${err.message})`,
        { cloud: "novita", code: err.code, status: err.status },
      );
    }
    // "invalid state change": perhaps a deletion already under way (a resent delete); else the cloud's words.
    if (!isKind(err, "conflict")) throw err;
    const now = await client.getInstance(id);
    if (now && !["gone", "removing"].includes(instancePhase(now.status))) throw err;
  }
  await waitUntil({
    what: `Novita deletion of instance ${id} ("${name}")`,
    deadlineAt,
    minDelayMs: 1000,
    maxDelayMs: 10_000,
    poll: async () => goneOutcome(await pollInstance(client, id, anyListItem)),
    onProgress: waitProgress(TYPE, name, "deleting"),
  });
}

/**
 * `adoptId`: take over an instance made outside Pulumi (pulumi/pulumi#16175), after checking it is
 * what the program declares (./adoption.ts lists what Novita lets us see). Only edit (ports, root
 * disk growth) and setAutoRenew are applied: both are live and cheap. Never upgrade, which resets.
 *
 * The create marker env (./instanceMarker.ts) is NOT added: a hand-made instance lacks it, and
 * envs change only through upgrade, which would reset the machine we are taking over. The marker
 * exists so a re-run of create recognises the instance it sent after a lost answer; adoption names
 * its instance by id, so a re-run adopts the same one without it. The first upgrade of the adopted
 * resource (a changed image or envs) writes it, as upgrade always sends the marker.
 */
async function adopt(ctx: CallContext, id: string, inputs: GpuVmInputs) {
  const client = novitaClientFor(ctx.settings);
  const what = `${TYPE} "${inputs.name}"`;
  const view = await readForAdoption(client, id, true);
  if (!view) throw new NotFoundError(`Novita has no instance ${id} to adopt`, { cloud: "novita" });
  const phase = instancePhase(view.instance.status);
  if (phase === "gone" || phase === "removing") throw new NotFoundError(`Novita instance ${id} is ${view.instance.status}: nothing to adopt`, { cloud: "novita" });
  if (!view.listed) throw new GpuCloudError(`Novita's instance list does not show instance ${id}, so its product cannot be verified; nothing was adopted`, { cloud: "novita" });

  // Novita's own fuzzy productName filter decides whether the instance's product is "the" product.
  let product: NovitaProduct | undefined;
  let productMatches: boolean | undefined;
  if (inputs.kind === "gpu") {
    const products = await client.products(inputs.productName ? { productName: inputs.productName } : { gpuNum: inputs.gpuCount, billingMethod: inputs.billingMode });
    product = products.find((p) => p.id === view.listed!.productId);
    if (inputs.productName) productMatches = !!product;
  }
  const { mismatches, resetting } = adoptionMismatches(view, inputs, productMatches);
  if (mismatches.length) {
    const err = adoptionMismatchError("novita", "Novita instance", id, mismatches);
    if (resetting.length) {
      err.message += ` Novita changes ${resetting.join(", ")} only through its upgrade call, which resets the instance; adoption never resets a machine.`;
    }
    throw err;
  }
  const growBy = view.instance.rootfsSize === undefined ? 0 : inputs.rootfsSize - view.instance.rootfsSize;
  if (growBy > 0 && product) checkRootfs(product, inputs.rootfsSize);

  const declared = { ...inputs, productId: view.listed.productId };
  const pricing = pricingOf(product, inputs);
  logProgress("info", `${what}: adopting instance ${id} (${view.instance.status}); it matches the program`);
  // Verified: from here on a failure records the instance (partial create), never loses it.
  return afterCreate({
    what,
    id,
    work: async () => {
      let instance: NovitaInstance = view.instance;
      let now = view;
      const deadlineAt = Date.now() + inputs.createTimeoutSeconds * 1000;
      // A declared powerState is the adopted instance's state from here on: a stopped one declared
      // running is started first; one declared stopped is left stopped (and stopped at the end).
      if (inputs.powerState === "running" && powerStateOf(instance) === "stopped") instance = await applyPowerState(client, id, inputs.name, "running", deadlineAt);
      const keptStopped = inputs.powerState === "stopped" && powerStateOf(instance) === "stopped";
      // edit is refused mid-operation: a starting instance is waited for first, then read again.
      if (instancePhase(instance.status) !== "running" && !keptStopped) {
        instance = await waitUntilRunning(client, id, inputs.name, Date.now() + inputs.createTimeoutSeconds * 1000);
        now = (await readForAdoption(client, id, false)) ?? view;
      }
      const set: string[] = [];
      const ports = samePorts(userPortsOf(now), inputs.ports) ? undefined : inputs.ports ?? [];
      const grow = now.instance.rootfsSize === undefined ? 0 : inputs.rootfsSize - now.instance.rootfsSize;
      if (ports || grow > 0) {
        const toolPorts = (inputs.tools ?? []).map((t) => ({ port: t.port, type: t.type }));
        await client.editInstance(id, { ports: ports && [...ports, ...toolPorts], expandRootDisk: grow > 0 ? grow : undefined });
        if (ports) set.push("ports");
        if (grow > 0) set.push("rootfsSize");
      }
      const renew = autoRenewChange(now.instance, inputs);
      if (renew) {
        await client.setAutoRenew(id, renew.autoRenew, renew.autoRenewMonth);
        set.push("autoRenew");
      }
      if (set.length) logProgress("info", `${what}: set ${set.join(", ")} of adopted instance ${id} as declared`);
      instance = (await client.getInstance(id)) ?? instance;
      if (inputs.powerState === "stopped") instance = await applyPowerState(client, id, inputs.name, "stopped", deadlineAt);
      return { id, outs: gpuVmOutputsOf(declared, instance, pricing) };
    },
    // What was not yet set in place is recorded as Novita has it, so the next `up` sets it.
    properties: async () => {
      const now = await readForAdoption(client, id, false).catch(() => undefined);
      return { ...inputs, ...gpuVmOutputsOf(declared, now?.instance, pricing), ...(now ? observedInPlace(now, inputs) : {}) };
    },
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

export const novitaGpuVm = defineResource({
  type: TYPE,
  cloud: novitaCloud,
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

export { MARKER_ENV };
