import { z } from "zod";
import { processWideClients } from "../core/clientCache";
import { BatchLoader } from "../core/batchLoader";
import { systemClock } from "../core/clock";
import { stableJson } from "../core/diffRules";
import { ErrorKind, isKind, ParsedErrorBody } from "../core/errors";
import type { RequestSender, RequestSenderConfig } from "../core/requestSender";
import type { CloudSettings } from "../core/settings";
import { ClientSpec, requestSenderFor } from "../core/clientFactory";
import {
  clusterListSchema,
  createReplySchema,
  instanceListSchema,
  instanceSchema,
  looseNumber,
  mutationReplySchema,
  NovitaInstance,
  NovitaProduct,
  productListSchema,
} from "./schemas";

export const novitaCloud: ClientSpec = {
  name: "novita",
  label: "Novita",
  envPrefix: "NOVITA",
  defaultEndpoint: "https://api.novita.ai/gpu-instance/openapi/v1",
  // Novita publishes no GPU-API limit; an official client keeps to 100 requests a minute.
  defaultRateBudget: { limit: 100, windowMs: 60_000 },
  authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  classifyError: (status, parsed) => classifyNovitaError(status, parsed),
};

const CAPACITY = new Set(["INSUFFICIENT_RESOURCE", "MIGRATE_INSUFFICIENT_RESOURCE", "GPU_SPEC_USED"]);
const QUOTA = new Set(["BALANCE_NOT_ENOUGH", "NOT_ENOUGH_BALANCE", "EXPIRED_OR_BALANCE_NOT_ENOUGH", "CREATE_INSTANCE_LIMIT", "WALLET_NOT_FOUND"]);
const CONFLICT = new Set(["CONFLICT", "CLUSTER_STATUS", "NODE_STATUS", "DEPENDENT_RESOURCE_STATE"]);
const NOT_FOUND = new Set(["RESOURCE_NOT_FOUND"]);

/**
 * Novita's `{code, reason, message, metadata}` envelope answers almost everything with HTTP 400
 * (shared/api/novita.md §2): the reason, not the status, says what kind of error it is.
 */
export function classifyNovitaError(status: number, parsed: ParsedErrorBody): ErrorKind | undefined {
  const reason = (parsed.code ?? "").toUpperCase();
  if (CAPACITY.has(reason)) return "capacity";
  if (QUOTA.has(reason)) return "quota";
  if (NOT_FOUND.has(reason)) return "notFound";
  if (CONFLICT.has(reason) || /invalid state change/i.test(parsed.message ?? "")) return "conflict";
  if (reason === "UNAUTHORIZED") return "auth";
  if (reason === "FORBIDDEN") return "permission";
  if (reason === "RATE_LIMIT_EXCEEDED" || reason === "SEND_CODE_TOO_FAST") return "rateLimit";
  if (reason === "UNKNOWN" && status >= 500) return "server";
  return undefined;
}

const PAGE = 100;
/** How long the first create asking for products waits for others asking the same. */
const PRODUCTS_WINDOW_MS = 50;

/** A `/gpu/instances` item, and whether it carries `statusError` at all: that decides what it can answer. */
const listedItemSchema = z
  .unknown()
  .transform((raw) => ({ showsStatusError: typeof raw === "object" && raw !== null && "statusError" in raw, instance: raw }))
  .pipe(z.object({ showsStatusError: z.boolean(), instance: instanceSchema }));
const listedPageSchema = z.object({
  instances: z
    .array(listedItemSchema)
    .nullish()
    .transform((v) => v ?? []),
  total: looseNumber,
});

export interface ListedInstance {
  instance: NovitaInstance;
  /** The item carries `statusError` (documented for list items; an item without it cannot tell a failed pull). */
  showsStatusError: boolean;
}

/**
 * One status poll. `get`: GET /gpu/instance answered (the full object; undefined = Novita does not
 * know the id). `list`: a listing shared with other polls showed this item (fewer fields: no envs,
 * network, connect components or port endpoints).
 */
export type InstanceSighting = { source: "get"; instance: NovitaInstance | undefined } | ({ source: "list" } & ListedInstance);

export interface ProductFilter {
  clusterId?: string;
  gpuNum?: number;
  productName?: string;
  minCpuPerGpu?: number;
  minMemoryPerGpu?: number;
  minRootFSSize?: number;
  billingMethod?: "onDemand" | "monthly" | "spot";
}

/** Typed calls for Novita's GET/POST RPC routes; retries, limits and errors are the sender's. */
export class NovitaClient {
  readonly sender: RequestSender;
  private readonly names: BatchLoader<string, NovitaInstance[]>;
  private readonly statuses: BatchLoader<string, InstanceSighting>;
  private readonly productReads = new Map<string, Promise<NovitaProduct[]>>();

  constructor(settings: CloudSettings, overrides: Partial<RequestSenderConfig> = {}) {
    this.sender = requestSenderFor(novitaCloud, settings, overrides);
    this.names = new BatchLoader({ maxBatch: 1000, windowMs: 50, load: (names) => this.fetchByNames(names) });
    // 64 instances starting at once: one listing per round of polls instead of 64 GETs.
    this.statuses = new BatchLoader({ maxBatch: 1000, windowMs: 100, load: (ids) => this.fetchSightings(ids) });
  }

  async clusters() {
    const res = await this.sender.send({ method: "GET", path: "/clusters", schema: clusterListSchema });
    return res.data.data;
  }

  async products(filter: ProductFilter = {}) {
    const res = await this.sender.send({ method: "GET", path: "/products", query: { ...filter }, schema: productListSchema });
    return res.data.data;
  }

  /**
   * The products this filter selects; concurrent callers with the same filter share one GET
   * /products (64 creates: 1 read, not 64). The read waits PRODUCTS_WINDOW_MS for company and is
   * shared until its answer arrives: products and their stock are never cached beyond that.
   */
  sharedProducts(filter: ProductFilter = {}): Promise<NovitaProduct[]> {
    const key = stableJson(Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)));
    const shared = this.productReads.get(key);
    if (shared) return shared;
    // The wait for company goes through the provider clock, like every other wait (fake clocks apply).
    const read: Promise<NovitaProduct[]> = systemClock
      .sleep(PRODUCTS_WINDOW_MS)
      .then(() => this.products(filter))
      .finally(() => {
        if (this.productReads.get(key) === read) this.productReads.delete(key);
      });
    this.productReads.set(key, read);
    return read;
  }

  async listInstances(pageNum: number) {
    const res = await this.sender.send({ method: "GET", path: "/gpu/instances", query: { pageSize: PAGE, pageNum }, schema: instanceListSchema });
    return res.data;
  }

  async listAllInstances(): Promise<NovitaInstance[]> {
    return (await this.listAllSightings()).map((l) => l.instance);
  }

  /** Every instance the list shows, with whether each item carries `statusError`. */
  private async listAllSightings(): Promise<ListedInstance[]> {
    const all: ListedInstance[] = [];
    for (let page = 1; ; page++) {
      const res = await this.sender.send({ method: "GET", path: "/gpu/instances", query: { pageSize: PAGE, pageNum: page }, schema: listedPageSchema });
      const { instances, total } = res.data;
      all.push(...instances);
      if (instances.length < PAGE || (total !== undefined && all.length >= total)) return all;
    }
  }

  /** undefined when Novita says the instance does not exist (404, or 400 RESOURCE_NOT_FOUND). */
  async getInstance(instanceId: string): Promise<NovitaInstance | undefined> {
    try {
      const res = await this.sender.send({ method: "GET", path: "/gpu/instance", query: { instanceId }, schema: instanceSchema });
      return res.data;
    } catch (err) {
      if (isKind(err, "notFound")) return undefined;
      throw err;
    }
  }

  /**
   * One status poll, for waiters. Alone: GET /gpu/instance. Polled together with others: one
   * listing serves them all, and only ids the list does not show are read with GET (deleted, or
   * not listed yet), so "gone" is always GET's word. The caller GETs when a list item is not enough.
   */
  loadInstance(instanceId: string): Promise<InstanceSighting> {
    return this.statuses.load(instanceId).then((s) => s ?? { source: "get", instance: undefined });
  }

  /** Instances with exactly this name; concurrent look-ups share one listing. */
  findByName(name: string): Promise<NovitaInstance[]> {
    return this.names.load(name).then((v) => v ?? []);
  }

  /** Uncoalesced, fresh look-up: used right after a create whose answer was lost. */
  async findByNameNow(name: string): Promise<NovitaInstance[]> {
    return (await this.listAllInstances()).filter((i) => i.name === name);
  }

  /** Never resent blindly (no idempotency key): the caller looks up before sending again. */
  async createInstance(body: Record<string, unknown>): Promise<string | undefined> {
    const res = await this.sender.send({ method: "POST", path: "/gpu/instance/create", body, schema: createReplySchema });
    return res.data.id ?? undefined;
  }

  /** Stops or starts an instance in place (novita.md §4, §7); not resent blindly: a second stop is refused as an invalid state change. */
  async power(instanceId: string, action: "start" | "stop"): Promise<void> {
    await this.sender.send({ method: "POST", path: `/gpu/instance/${action}`, body: { instanceId }, schema: mutationReplySchema });
  }

  /** `expandRootDisk` is an increment: resending it would grow the disk twice, so only a ports-only edit is resent. */
  async editInstance(instanceId: string, change: { ports?: Array<{ port: number; type: string }>; expandRootDisk?: number }): Promise<void> {
    await this.sender.send({
      method: "POST",
      path: "/gpu/instance/edit",
      body: { instanceId, ...change },
      schema: mutationReplySchema,
      idempotent: !change.expandRootDisk,
    });
  }

  /** A full replacement that resets the instance; not resent blindly (a second one resets again). */
  async upgradeInstance(body: Record<string, unknown>): Promise<void> {
    await this.sender.send({ method: "POST", path: "/gpu/instance/upgrade", body, schema: mutationReplySchema });
  }

  async setAutoRenew(instanceId: string, autoRenew: boolean, autoRenewMonth: number): Promise<void> {
    await this.sender.send({
      method: "POST",
      path: "/gpu/instance/setAutoRenew",
      body: { instanceIds: [instanceId], autoRenew, autoRenewMonth },
      schema: mutationReplySchema,
      idempotent: true, // sets values: sending it twice is sending it once
    });
  }

  /** "gone" when Novita no longer knows the instance. Resending is harmless: the handler reads the state after a conflict. */
  async deleteInstance(instanceId: string): Promise<"gone" | "deleting"> {
    try {
      await this.sender.send({ method: "POST", path: "/gpu/instance/delete", body: { instanceId }, schema: mutationReplySchema, idempotent: true });
      return "deleting";
    } catch (err) {
      if (isKind(err, "notFound")) return "gone";
      throw err;
    }
  }

  private async fetchSightings(ids: string[]): Promise<Map<string, InstanceSighting>> {
    if (ids.length === 1) return new Map([[ids[0], { source: "get", instance: await this.getInstance(ids[0]) }]]);
    const listed = new Map((await this.listAllSightings()).map((l) => [l.instance.id, l]));
    const found = new Map<string, InstanceSighting>();
    for (const id of ids) {
      const item = listed.get(id);
      found.set(id, item ? { source: "list", ...item } : { source: "get", instance: await this.getInstance(id) });
    }
    return found;
  }

  private async fetchByNames(names: string[]): Promise<Map<string, NovitaInstance[]>> {
    const all = await this.listAllInstances();
    return new Map(names.map((n) => [n, all.filter((i) => i.name === n)]));
  }
}

/** The process-wide client for these settings. */
export const novitaClientFor = processWideClients((settings) => new NovitaClient(settings));
