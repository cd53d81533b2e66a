import { normalizers, ResourceRules, stableJson } from "../core/diffRules";
import { warnWhenStopping } from "./powerState";

// What each input change does to a Novita instance (shared/api/novita.md §7). `diff`, `update`
// and the README table are all read from here.

export const EDIT = "POST /gpu/instance/edit";
export const UPGRADE = "POST /gpu/instance/upgrade";
export const SET_AUTO_RENEW = "POST /gpu/instance/setAutoRenew";
export const POWER = "POST /gpu/instance/stop or /start";

/** The calls `update` makes, one per kind of in-place change (the rules' `call`). */
export type NovitaCall = "edit" | "upgrade" | "autoRenew" | "power";

/** Lists whose order carries no meaning compare as sorted. */
const sortedBy = (key: (item: any) => string) => (v: unknown) =>
  Array.isArray(v) ? [...v].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) : v;
const byPort = sortedBy((p) => `${String(p?.port).padStart(5, "0")}/${String(p?.type ?? "").toLowerCase()}`);
const byKey = sortedBy((e) => String(e?.key));
const byJson = sortedBy((x) => stableJson(x));

export const gpuVmRules: ResourceRules<NovitaCall> = {
  type: "novita:GpuVm",
  fields: {
    name: { change: "replace", why: "Novita's API has no rename call, so a new name means a new instance" },
    productId: { change: "replace", why: "Novita cannot change an instance's GPU product", cloudDefault: true, doc: "filled in from productName" },
    productName: { change: "replace", why: "a different product is a new instance", cloudDefault: true, doc: "resolved to the cheapest deployable productId at create" },
    gpuCount: { change: "replace", why: "Novita cannot change an instance's GPU count", normalize: normalizers.number },
    rootfsSize: {
      change: "inPlace",
      via: `${EDIT} (expandRootDisk)`,
      call: "edit",
      normalize: normalizers.number,
      replaceWhen: { test: (from, to) => Number(to) < Number(from), why: "it shrinks: Novita can only grow a root disk" },
      doc: "growth without a restart",
    },
    ports: { change: "inPlace", via: EDIT, call: "edit", normalize: byPort, doc: "the whole list, without a restart" },
    imageUrl: { change: "inPlace", via: UPGRADE, call: "upgrade", resets: true },
    imageAuthId: { change: "inPlace", via: UPGRADE, call: "upgrade", resets: true },
    envs: { change: "inPlace", via: UPGRADE, call: "upgrade", resets: true, normalize: byKey },
    command: { change: "inPlace", via: UPGRADE, call: "upgrade", resets: true },
    entrypoint: { change: "inPlace", via: UPGRADE, call: "upgrade", resets: true },
    networkStorages: { change: "inPlace", via: UPGRADE, call: "upgrade", resets: true, normalize: byJson, doc: "network volumes" },
    imageAuth: { change: "replace", why: "registry credentials are sent only at create; upgrade takes only imageAuthId" },
    tools: { change: "replace", why: "tools are set up at create; neither edit nor upgrade changes them", normalize: byJson },
    clusterId: { change: "replace", why: "an instance cannot move between clusters", cloudDefault: true, doc: "omitted: Novita picks a cluster" },
    networkId: { change: "replace", why: "the VPC network is attached at create" },
    kind: { change: "replace", why: "gpu and cpu instances are different products" },
    billingMode: { change: "replace", why: "the billing mode is chosen at create" },
    month: { change: "replace", why: "the subscription is bought at create", normalize: normalizers.number },
    autoRenew: { change: "inPlace", via: SET_AUTO_RENEW, call: "autoRenew", doc: "monthly instances only" },
    autoRenewMonth: { change: "inPlace", via: SET_AUTO_RENEW, call: "autoRenew", normalize: normalizers.number, doc: "monthly instances only" },
    powerState: {
      change: "inPlace",
      via: POWER,
      call: "power",
      cloudDefault: true,
      warnWhen: warnWhenStopping,
      doc: "`running` or `stopped`; a stopped instance keeps its data only `keepDataDay` (7) days, and starting it again may fail for lack of capacity",
    },
    minCudaVersion: { change: "replace", why: "the node is chosen for it at create" },
    createTimeoutSeconds: { change: "stateOnly" },
    deleteTimeoutSeconds: { change: "stateOnly" },
  },
};

