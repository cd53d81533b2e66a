import { createHash } from "node:crypto";
import { BatchLoader } from "../core/batchLoader";
import { ErrorKind, isKind, ParsedErrorBody } from "../core/errors";
import { logProgress } from "../core/progressLog";
import { sharedRateLimiter } from "../core/rateLimiter";
import { RequestSender, RequestSenderConfig } from "../core/requestSender";
import { CloudSettings, CloudSpec, requireApiKey } from "../core/settings";
import {
  clusterListSchema,
  createReplySchema,
  instanceListSchema,
  instanceSchema,
  mutationReplySchema,
  NovitaInstance,
  productListSchema,
} from "./schemas";

export const novitaCloud: CloudSpec = {
  name: "novita",
  label: "Novita",
  envPrefix: "NOVITA",
  defaultEndpoint: "https://api.novita.ai/gpu-instance/openapi/v1",
  // Novita publishes no GPU-API limit; an official client keeps to 100 requests a minute.
  defaultRateBudget: { limit: 100, windowMs: 60_000 },
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

  constructor(settings: CloudSettings, overrides: Partial<RequestSenderConfig> = {}) {
    const apiKey = requireApiKey(novitaCloud, settings);
    this.sender = new RequestSender({
      cloud: "Novita",
      baseUrl: settings.endpoint,
      apiKey,
      authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
      limiter: sharedRateLimiter("novita", settings.endpoint, apiKey, settings.rateBudget),
      classifyError: classifyNovitaError,
      log: (m) => logProgress("info", m),
      ...overrides,
    });
    this.names = new BatchLoader({ maxBatch: 1000, windowMs: 50, load: (names) => this.fetchByNames(names) });
  }

  async clusters() {
    const res = await this.sender.send({ method: "GET", path: "/clusters", schema: clusterListSchema });
    return res.data.data;
  }

  async products(filter: ProductFilter = {}) {
    const res = await this.sender.send({ method: "GET", path: "/products", query: { ...filter }, schema: productListSchema });
    return res.data.data;
  }

  async listInstances(pageNum: number) {
    const res = await this.sender.send({ method: "GET", path: "/gpu/instances", query: { pageSize: PAGE, pageNum }, schema: instanceListSchema });
    return res.data;
  }

  async listAllInstances(): Promise<NovitaInstance[]> {
    const all: NovitaInstance[] = [];
    for (let page = 1; ; page++) {
      const { instances, total } = await this.listInstances(page);
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

  private async fetchByNames(names: string[]): Promise<Map<string, NovitaInstance[]>> {
    const all = await this.listAllInstances();
    return new Map(names.map((n) => [n, all.filter((i) => i.name === n)]));
  }
}

const clients = new Map<string, NovitaClient>();

/** One client per endpoint and key in the process, so batching and rate limiting see every resource. */
export function novitaClientFor(settings: CloudSettings): NovitaClient {
  const key = `${settings.endpoint}|${createHash("sha256").update(settings.apiKey ?? "").digest("hex")}`;
  let client = clients.get(key);
  if (!client) {
    client = new NovitaClient(settings);
    clients.set(key, client);
  }
  return client;
}
