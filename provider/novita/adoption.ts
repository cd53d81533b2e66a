import { z } from "zod";
import { Mismatch } from "../core/adoption";
import { compact } from "../core/compact";
import { Candidate } from "../core/createOnce";
import { callOf, stableJson } from "../core/diffRules";
import { isKind } from "../core/errors";
import { NovitaClient } from "./client";
import { GpuVmInputs } from "./inputs";
import { gpuVmRules } from "./rules";
import { isThisResourcesInstance, MARKER_ENV } from "./instanceMarker";
import { instancePhase } from "./observations";
import { instanceSchema, looseNumber, NovitaInstance } from "./schemas";

// What `adoptId` compares on Novita. Novita cannot rename and every change but ports, root-disk
// growth and auto-renewal goes through `upgrade`, which resets the machine: adoption never resets,
// so an upgrade-class difference is a mismatch like any immutable one.
//
// Not verified, because Novita never shows them: imageAuth (a secret, sent at create only),
// minCudaVersion, month (only endTime is shown), and networkId when the program leaves it out
// (network.id may name a default network rather than a VPC; a declared networkId is compared).

/** The documented GET /gpu/instance plus two fields the shared parser drops: the VPC id and Jupyter's port. */
const adoptionReadSchema = instanceSchema.and(
  z.object({
    network: z.object({ id: z.union([z.string(), z.number()]).nullish() }).nullish(),
    connectComponentJupyter: z.object({ port: looseNumber }).nullish(),
  }),
);

export interface AdoptionView {
  instance: NovitaInstance;
  networkId?: string;
  jupyterPort?: number;
  /** From the instance list: GET /gpu/instance shows neither (shared/api/novita.md §5). */
  listed?: { productId?: string; productName?: string };
}

/** Every live instance with this name whose marker (or, without envs shown, configuration) is this resource's. */
export async function findOwnMachines(client: NovitaClient, inputs: GpuVmInputs, productId: string, marker: string, fresh: boolean): Promise<Candidate<string>[]> {
  const listed = fresh ? await client.findByNameNow(inputs.name) : await client.findByName(inputs.name);
  const out: Candidate<string>[] = [];
  for (const candidate of listed.filter((i) => !["gone", "removing"].includes(instancePhase(i.status)))) {
    const instance = (await client.getInstance(candidate.id)) ?? candidate; // list items may lack envs
    if (isThisResourcesInstance(instance, inputs, productId, marker)) out.push({ id: instance.id, value: instance.id });
  }
  return out;
}

/**
 * undefined when Novita does not know the id (404 or 400 RESOURCE_NOT_FOUND). One GET, plus the
 * listing (for the product) when `withProduct`.
 */
export async function readForAdoption(client: NovitaClient, id: string, withProduct: boolean): Promise<AdoptionView | undefined> {
  let full: z.output<typeof adoptionReadSchema>;
  try {
    full = (await client.sender.send({ method: "GET", path: "/gpu/instance", query: { instanceId: id }, schema: adoptionReadSchema })).data;
  } catch (err) {
    if (isKind(err, "notFound")) return undefined;
    throw err;
  }
  const networkId = full.network?.id === undefined || full.network?.id === null || full.network.id === "" ? undefined : String(full.network.id);
  const listed = withProduct ? (await client.listAllInstances()).find((i) => i.id === id) : undefined;
  return {
    instance: full,
    networkId,
    jupyterPort: full.connectComponentJupyter?.port,
    listed: listed && { productId: listed.productId, productName: listed.productName },
  };
}

const same = (field: string, a: unknown, b: unknown) => {
  const n = gpuVmRules.fields[field]?.normalize ?? ((v: unknown) => v);
  return stableJson(n(a)) === stableJson(n(b));
};

/** Envs as the program declares them: the create marker is ours, not the user's (another stack's instance carries one). */
const userEnvs = (envs: Array<{ key: string; value: string }> | undefined) => (envs ?? []).filter((e) => e.key !== MARKER_ENV);

/**
 * Where the instance differs from the program in what cannot change without a new instance or a
 * reset. `productMatches`: whether Novita's own productName filter lists the instance's product
 * (undefined when no productName is declared).
 */
export function adoptionMismatches(view: AdoptionView, inputs: GpuVmInputs, productMatches: boolean | undefined): { mismatches: Mismatch[]; resetting: string[] } {
  const { instance: i } = view;
  const out: Mismatch[] = [];
  const differs = (field: string, actual: unknown, declared: unknown) => out.push({ field, actual, declared });

  if (i.name !== inputs.name) differs("name", i.name, inputs.name); // no rename call exists
  if (inputs.productId && view.listed?.productId !== inputs.productId) differs("productId", view.listed?.productId, inputs.productId);
  if (inputs.productName && productMatches === false) differs("productName", view.listed?.productName ?? view.listed?.productId, inputs.productName);
  if (i.gpuCount !== inputs.gpuCount) differs("gpuCount", i.gpuCount, inputs.gpuCount);
  if (i.kind && i.kind !== inputs.kind) differs("kind", i.kind, inputs.kind);
  if (i.billingMode && i.billingMode !== inputs.billingMode) differs("billingMode", i.billingMode, inputs.billingMode);
  if (inputs.clusterId && i.clusterId !== inputs.clusterId) differs("clusterId", i.clusterId, inputs.clusterId);
  if (inputs.networkId && view.networkId !== inputs.networkId) differs("networkId", view.networkId, inputs.networkId);
  // A root disk only grows (in place); a larger one than declared cannot shrink.
  if (i.rootfsSize !== undefined && i.rootfsSize > inputs.rootfsSize) differs("rootfsSize", i.rootfsSize, inputs.rootfsSize);

  // Jupyter is the only tool: its port is shown, and its type through the port mapping.
  const tool = inputs.tools?.[0];
  const actualTool =
    view.jupyterPort === undefined
      ? undefined
      : { name: "Jupyter", port: view.jupyterPort, type: i.portMappings.find((p) => p.port === view.jupyterPort)?.type ?? tool?.type };
  if (!same("tools", actualTool ? [actualTool] : [], inputs.tools ?? [])) differs("tools", actualTool ? [actualTool] : [], inputs.tools ?? []);

  // Upgrade-class fields, compared as an upgrade would send them (unset = empty).
  const resetting: string[] = [];
  const upgradeField = (field: string, actual: unknown, declared: unknown) => {
    if (callOf(gpuVmRules, field) !== "upgrade") throw new Error(`novita: ${field} is not an upgrade field`);
    if (!same(field, actual, declared)) {
      differs(field, actual, declared);
      resetting.push(field);
    }
  };
  upgradeField("imageUrl", i.imageUrl, inputs.imageUrl);
  // Registry credentials given inline (imageAuth) may be saved under an id Novita shows: only compared when declared or clearly absent.
  if (inputs.imageAuthId !== undefined || (i.imageAuthId !== undefined && inputs.imageAuth === undefined)) upgradeField("imageAuthId", i.imageAuthId ?? "", inputs.imageAuthId ?? "");
  if (!same("envs", userEnvs(i.envs), userEnvs(inputs.envs))) {
    // Env values often hold tokens: the error names keys, never values.
    const actual = new Map(userEnvs(i.envs).map((e) => [e.key, e.value]));
    const declared = new Map(userEnvs(inputs.envs).map((e) => [e.key, e.value]));
    const changed = [...declared.keys()].filter((k) => actual.has(k) && actual.get(k) !== declared.get(k));
    differs("envs", `keys ${[...actual.keys()].join(", ") || "none"}`, `keys ${[...declared.keys()].join(", ") || "none"}${changed.length ? `, other values for ${changed.join(", ")}` : ""}`);
    resetting.push("envs");
  }
  upgradeField("command", i.command ?? "", inputs.command ?? "");
  upgradeField("entrypoint", i.entrypoint ?? "", inputs.entrypoint ?? "");
  upgradeField(
    "networkStorages",
    i.networkVolumes.map((v) => ({ id: v.id, mountPoint: v.mountPath })),
    (inputs.networkStorages ?? []).map((n) => ({ id: n.id, mountPoint: n.mountPoint })),
  );
  return { mismatches: out, resetting };
}

/** Exposed ports the program manages (Jupyter's port is Novita's to map), in edit's shape. */
export function userPortsOf(view: AdoptionView): Array<{ port: number; type: "tcp" | "http" }> {
  return view.instance.portMappings
    .filter((p) => p.port !== undefined && p.port !== view.jupyterPort)
    .map((p) => ({ port: p.port!, type: p.type === "tcp" ? ("tcp" as const) : ("http" as const) }));
}

export const samePorts = (a: unknown, b: unknown) => same("ports", a ?? [], b ?? []);

/** The setAutoRenew call that brings a monthly instance in line, if any. */
export function autoRenewChange(instance: NovitaInstance, inputs: GpuVmInputs): { autoRenew: boolean; autoRenewMonth: number } | undefined {
  if (inputs.autoRenew === undefined) return undefined;
  const month = inputs.autoRenewMonth ?? instance.autoRenewMonth ?? 1;
  if (instance.autoRenew === inputs.autoRenew && (inputs.autoRenewMonth === undefined || instance.autoRenewMonth === inputs.autoRenewMonth)) return undefined;
  return { autoRenew: inputs.autoRenew, autoRenewMonth: month };
}

/** What adoption sets in place, as Novita has it now: recorded when the adopt stops before setting it, so the next `up` sets it. */
export function observedInPlace(view: AdoptionView, inputs: GpuVmInputs): Record<string, unknown> {
  const ports = userPortsOf(view);
  return compact({
    ports: samePorts(ports, inputs.ports) ? inputs.ports : ports,
    rootfsSize: view.instance.rootfsSize,
    autoRenew: inputs.autoRenew === undefined ? undefined : view.instance.autoRenew,
    autoRenewMonth: inputs.autoRenewMonth === undefined ? undefined : view.instance.autoRenewMonth,
  });
}
