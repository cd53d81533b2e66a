import { createOnce } from "../core/createOnce";
import { ChangePlan } from "../core/diffRules";
import { adoptionMismatchError } from "../core/adoption";
import { CapacityError, GpuCloudError, isKind, NotFoundError, ValidationError } from "../core/errors";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { createForecast, Forecast } from "../core/provisioningTimes";
import { waitUntil, WaiterTimeoutError } from "../core/waiter";
import { adoptionMismatches, AdoptionView, readForAdoption, samePorts, userPortsOf } from "./adoption";
import { ListedInstance, NovitaClient, novitaClientFor, novitaCloud } from "./client";
import { crossCheckGpuVm, GpuVmInputs, gpuVmInputs, portsString } from "./gpuVmInputs";
import { callFor, gpuVmRules } from "./gpuVmRules";
import { envsWithMarker, instanceMarker, isThisResourcesInstance, MARKER_ENV } from "./instanceMarker";
import { goneOutcome, instancePhase, resetOutcome, runningOutcome } from "./observations";
import { cheapestProduct, isDeployable, pricePerGpuHour } from "./products";
import { NovitaInstance, NovitaProduct } from "./schemas";
import { priceOf } from "./pricing";
import { applyPowerState, powerStateOf } from "./powerState";

const TYPE = "novita:GpuVm";
/** A `running` right after an upgrade may predate the reset; after this long without one, it is the result. */
const RESET_SETTLE_MS = 30_000;

/** Finds the product (by id, or the cheapest for a name) and checks stock and disk limits before anything is bought. */
export async function resolveProduct(client: NovitaClient, inputs: GpuVmInputs): Promise<{ productId: string; product?: NovitaProduct }> {
  if (inputs.kind !== "gpu") {
    if (!inputs.productId) throw new ValidationError("Novita: cpu instances need a productId (from /cpu/products)", { cloud: "Novita", issues: [{ path: "productId", message: "is required for kind cpu" }] });
    return { productId: inputs.productId };
  }
  // Shared by concurrent creates with the same filter. Read even when productId is given: the
  // stock check and the price outputs need the product.
  const products = await client.sharedProducts({
    gpuNum: inputs.gpuCount,
    billingMethod: inputs.billingMode,
    clusterId: inputs.clusterId,
    productName: inputs.productName,
  });
  if (inputs.productId) {
    const product = products.find((p) => p.id === inputs.productId);
    if (!product) return { productId: inputs.productId }; // hidden by a filter: let Novita decide
    if (!isDeployable(product, inputs.billingMode)) {
      throw new CapacityError(`Novita product ${product.id} (${product.name}) cannot be deployed now (inventory ${product.inventoryState ?? "unknown"}, billing ${inputs.billingMode})`, { cloud: "Novita" });
    }
    checkRootfs(product, inputs.rootfsSize);
    return { productId: product.id, product };
  }
  const product = cheapestProduct(products, inputs);
  if (!product) {
    const seen = products.map((p) => `${p.id} (${p.name}, inventory ${p.inventoryState ?? "?"}, up to ${p.maxRootfsSize ?? "?"} GB)`).join("; ");
    throw new CapacityError(
      `Novita has no deployable product matching "${inputs.productName}" for ${inputs.gpuCount} GPU(s), ${inputs.billingMode}, ${inputs.rootfsSize} GB root disk${inputs.clusterId ? ` in cluster ${inputs.clusterId}` : ""}; matching now: ${seen || "none"}`,
      { cloud: "Novita" },
    );
  }
  return { productId: product.id, product };
}

function checkRootfs(product: NovitaProduct, rootfsSize: number): void {
  if (product.maxRootfsSize !== undefined && rootfsSize > product.maxRootfsSize) {
    throw new ValidationError(`Novita product ${product.id} allows a root disk of at most ${product.maxRootfsSize} GB; rootfsSize is ${rootfsSize}`, {
      cloud: "Novita",
      issues: [{ path: "rootfsSize", message: `at most ${product.maxRootfsSize} for ${product.id}` }],
    });
  }
}

function pricingOf(product: NovitaProduct | undefined, inputs: GpuVmInputs): Record<string, unknown> {
  if (!product) return {};
  const perGpu = pricePerGpuHour(product, inputs.billingMode);
  return compact({
    pricePerGpuHourUsd: perGpu,
    // Novita prices a product per GPU-hour (inferred from its product list): the instance costs that × GPUs.
    pricePerHourUsd: perGpu === undefined ? undefined : Math.round(perGpu * inputs.gpuCount * 100_000) / 100_000,
  });
}

export function createBody(inputs: GpuVmInputs, productId: string, marker: string): Record<string, unknown> {
  return compact({
    name: inputs.name,
    productId,
    gpuNum: inputs.gpuCount,
    rootfsSize: inputs.rootfsSize,
    imageUrl: inputs.imageUrl,
    imageAuth: inputs.imageAuth,
    imageAuthId: inputs.imageAuthId,
    ports: portsString(inputs.ports),
    envs: envsWithMarker(inputs.envs, marker),
    tools: inputs.tools?.map((t) => ({ name: t.name, port: String(t.port), type: t.type })),
    command: inputs.command,
    entrypoint: inputs.entrypoint,
    clusterId: inputs.clusterId ?? "",
    networkStorages: inputs.networkStorages?.map((n) => ({ Id: n.id, mountPoint: n.mountPoint })),
    networkId: inputs.networkId,
    kind: inputs.kind,
    billingMode: inputs.billingMode,
    month: inputs.month,
    autoRenew: inputs.autoRenew,
    autoRenewMonth: inputs.autoRenewMonth,
    minCudaVersion: inputs.minCudaVersion,
  });
}

/** Upgrade replaces image, envs, command, entrypoint and network volumes all at once: send them all. */
export function upgradeBody(instanceId: string, inputs: GpuVmInputs, marker: string): Record<string, unknown> {
  return compact({
    instanceId,
    imageUrl: inputs.imageUrl,
    imageAuthId: inputs.imageAuthId,
    envs: envsWithMarker(inputs.envs, marker),
    command: inputs.command ?? "",
    entrypoint: inputs.entrypoint ?? "",
    save: true, // keep the root disk's data across the reset
    networkVolume: { volumeMounts: (inputs.networkStorages ?? []).map((n) => ({ type: "network", id: n.id, mountPath: n.mountPoint })) },
  });
}

/** Exposed ports the user manages: tools' ports are Novita's to map. */
function userPorts(instance: NovitaInstance, inputs: Record<string, unknown>) {
  const toolPorts = new Set(((inputs.tools as GpuVmInputs["tools"]) ?? []).map((t) => t.port));
  return instance.portMappings
    .filter((p) => p.port !== undefined && !toolPorts.has(p.port))
    .map((p) => ({ port: p.port!, type: p.type === "tcp" ? ("tcp" as const) : ("http" as const) }));
}

function outputsOf(inputs: Record<string, unknown>, instance: NovitaInstance | undefined, pricing: Record<string, unknown>, previous: Record<string, unknown> = {}) {
  // Declared inputs stay as declared (no perpetual diffs); what the cloud fills in comes from it.
  const fromCloud: Record<string, unknown> = instance
    ? {
        productId: instance.productId,
        clusterId: instance.clusterId,
        clusterName: instance.clusterName,
        status: instance.status,
        ip: instance.ip,
        portMappings: instance.portMappings.map((p) => compact({ ...p })),
        sshCommand: instance.sshCommand,
        sshPassword: instance.sshPassword,
        webTerminalAddress: instance.webTerminal?.address,
        webTerminalUsername: instance.webTerminal?.username,
        webTerminalPassword: instance.webTerminal?.password,
        jupyterAddress: instance.jupyterAddress,
        cpuCount: instance.cpuCount,
        memoryGb: instance.memoryGb,
        endTime: instance.endTime,
        spotStatus: instance.spotStatus,
        spotReclaimTime: instance.spotReclaimTime,
        createdAt: instance.createdAt,
      }
    : {};
  return compact({ ...previous, ...compact(fromCloud), ...pricing, ...declaredInputs(gpuVmInputs, inputs) });
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}


/**
 * One poll of an instance. Polled alone it is a GET; polled with others, one listing serves them
 * all (client.loadInstance) and a list item answers only when it decides the poll as the GET would
 * (`listItemAnswers`). Otherwise, e.g. once it runs, one GET reads the full object: the outputs
 * need what only GET shows (ip, SSH, web terminal, port endpoints).
 */
async function pollInstance(client: NovitaClient, id: string, listItemAnswers: (item: ListedInstance) => boolean): Promise<NovitaInstance | undefined> {
  const seen = await client.loadInstance(id);
  if (seen.source === "get") return seen.instance;
  return listItemAnswers(seen) ? seen.instance : client.getInstance(id);
}

/** Still on its way (no failure to read in its statusError, which the item shows): the poll goes on whatever GET would add. */
const stillStarting = (item: ListedInstance) => item.showsStatusError && !item.instance.statusError && instancePhase(item.instance.status) === "inProgress";
/** While deleting, only the status counts (goneOutcome): any list item answers; an id the list lacks was read by GET. */
const anyListItem = () => true;

async function waitUntilRunning(client: NovitaClient, id: string, name: string, deadlineAt: number, forecast?: Forecast): Promise<NovitaInstance> {
  const { value } = await waitUntil({
    what: `Novita instance ${id} ("${name}") to run`,
    deadlineAt,
    minDelayMs: 1000,
    maxDelayMs: 10_000,
    // Novita gives no completion estimate and documents no transition timings (novita.md §8,
    // §Unknowns): polls follow the times of instances of the same product seen before.
    forecast,
    poll: async () => runningOutcome(await pollInstance(client, id, stillStarting)),
    onProgress: waitProgress(TYPE, name, "starting"),
    heartbeatMs: 30_000,
  });
  return value!;
}

async function waitAfterReset(client: NovitaClient, id: string, name: string, deadlineAt: number): Promise<NovitaInstance> {
  const started = Date.now();
  const progress = { sawReset: false, elapsedMs: 0, settledAfterMs: RESET_SETTLE_MS };
  const { value } = await waitUntil({
    what: `Novita instance ${id} ("${name}") to run again after its reset`,
    deadlineAt,
    minDelayMs: 1000,
    maxDelayMs: 10_000,
    poll: async () => {
      const instance = await pollInstance(client, id, stillStarting);
      progress.elapsedMs = Date.now() - started;
      return resetOutcome(instance, progress);
    },
    onProgress: waitProgress(TYPE, name, "resetting"),
    heartbeatMs: 30_000,
  });
  return value!;
}

async function findOwnInstance(client: NovitaClient, inputs: GpuVmInputs, productId: string, marker: string, fresh: boolean): Promise<string | undefined> {
  const listed = fresh ? await client.findByNameNow(inputs.name) : await client.findByName(inputs.name);
  for (const candidate of listed.filter((i) => !["gone", "removing"].includes(instancePhase(i.status)))) {
    const instance = (await client.getInstance(candidate.id)) ?? candidate; // list items may lack envs
    if (isThisResourcesInstance(instance, inputs, productId, marker)) return instance.id;
  }
  return undefined;
}

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
    findExisting: (fresh) => findOwnInstance(client, inputs, productId, marker, fresh),
    send: async () => {
      const newId = await client.createInstance(createBody(inputs, productId, marker));
      if (!newId) throw new GpuCloudError(`Novita accepted the create of "${inputs.name}" but answered no instance id`, { cloud: "Novita" });
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
      return { id, outs: outputsOf(declared, instance, pricing) };
    },
    properties: async () => ({ ...inputs, ...outputsOf(declared, await client.getInstance(id).catch(() => undefined), pricing) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = novitaClientFor(ctx.settings);
  const instance = await client.getInstance(id);
  if (!instance || instancePhase(instance.status) === "gone") return {};
  const outs = outputsOf({}, instance, {}, props);
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
    throw new GpuCloudError(`Novita instance ${id} no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "Novita" });
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
  const via = (call: ReturnType<typeof callFor>) => [...fields].some((f) => callFor(f) === call);
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
    logProgress("warn", `${TYPE} "${news.name}": resetting instance ${id} to apply ${[...fields].filter((f) => callFor(f) === "upgrade").join(", ")}`);
    await client.upgradeInstance(upgradeBody(id, news, instanceMarker(news)));
    instance = await waitAfterReset(client, id, news.name, Date.now() + news.createTimeoutSeconds * 1000);
  }
  if (via("autoRenew")) {
    await client.setAutoRenew(id, news.autoRenew ?? false, news.autoRenewMonth ?? (Number(olds.autoRenewMonth) || 1));
  }
  if (via("power") && news.powerState === "stopped") instance = await applyPowerState(client, id, news.name, "stopped", deadlineAt);
  instance = (await client.getInstance(id)) ?? instance;
  const pricing = { pricePerGpuHourUsd: olds.pricePerGpuHourUsd, pricePerHourUsd: olds.pricePerHourUsd };
  return outputsOf({ ...news, productId: news.productId ?? olds.productId }, instance, compact(pricing), olds);
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
        { cloud: "Novita", code: err.code, status: err.status },
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
  if (!view) throw new NotFoundError(`Novita has no instance ${id} to adopt`, { cloud: "Novita" });
  const phase = instancePhase(view.instance.status);
  if (phase === "gone" || phase === "removing") throw new NotFoundError(`Novita instance ${id} is ${view.instance.status}: nothing to adopt`, { cloud: "Novita" });
  if (!view.listed) throw new GpuCloudError(`Novita's instance list does not show instance ${id}, so its product cannot be verified; nothing was adopted`, { cloud: "Novita" });

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
    const err = adoptionMismatchError("Novita", "Novita instance", id, mismatches);
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
      // edit is refused mid-operation: a starting instance is waited for first, then read again.
      if (instancePhase(instance.status) !== "running") {
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
      return { id, outs: outputsOf(declared, instance, pricing) };
    },
    // What was not yet set in place is recorded as Novita has it, so the next `up` sets it.
    properties: async () => {
      const now = await readForAdoption(client, id, false).catch(() => undefined);
      return { ...inputs, ...outputsOf(declared, now?.instance, pricing), ...(now ? observedInPlace(now, inputs) : {}) };
    },
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
}

/** The setAutoRenew call that brings a monthly instance in line, if any. */
function autoRenewChange(instance: NovitaInstance, inputs: GpuVmInputs): { autoRenew: boolean; autoRenewMonth: number } | undefined {
  if (inputs.autoRenew === undefined) return undefined;
  const month = inputs.autoRenewMonth ?? instance.autoRenewMonth ?? 1;
  if (instance.autoRenew === inputs.autoRenew && (inputs.autoRenewMonth === undefined || instance.autoRenewMonth === inputs.autoRenewMonth)) return undefined;
  return { autoRenew: inputs.autoRenew, autoRenewMonth: month };
}

function observedInPlace(view: AdoptionView, inputs: GpuVmInputs): Record<string, unknown> {
  const ports = userPortsOf(view);
  return compact({
    ports: samePorts(ports, inputs.ports) ? inputs.ports : ports,
    rootfsSize: view.instance.rootfsSize,
    autoRenew: inputs.autoRenew === undefined ? undefined : view.instance.autoRenew,
    autoRenewMonth: inputs.autoRenewMonth === undefined ? undefined : view.instance.autoRenewMonth,
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
