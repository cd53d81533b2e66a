import { z } from "zod";
import { processWideClients } from "../core/clientCache";
import { BatchLoader } from "../core/batchLoader";
import { ErrorKind, isKind, ParsedErrorBody } from "../core/errors";
import type { RequestSender, RequestSenderConfig } from "../core/requestSender";
import type { CloudSettings } from "../core/settings";
import { ClientSpec, requestSenderFor } from "../core/clientFactory";
import { withOurInputNames } from "./inputNames";
import { instancePhase } from "./observations";
import {
  deployResponse,
  FluenceInstance,
  FluencePlanGroup,
  FluenceSshKey,
  instanceSchema,
  plansResponse,
  sshKeyListResponse,
  sshKeySchema,
} from "./schemas";

export const fluenceCloud: ClientSpec = {
  name: "fluence",
  label: "Fluence",
  envPrefix: "FLUENCE",
  defaultEndpoint: "https://api.fluence.dev",
  // Fluence publishes no limit (shared/api/fluence.md §3): a polite budget of our own.
  defaultRateBudget: { limit: 120, windowMs: 60_000 },
  authHeaders: (key) => ({ "x-api-key": key }),
  classifyError: (status, parsed) => classifyFluenceError(status, parsed),
};

/** VMs and bare metal share bodies; only this path segment differs (documented). */
export type FluenceKind = "vm" | "baremetal";
const segment = (kind: FluenceKind) => (kind === "baremetal" ? "baremetal" : "vms");

/**
 * Fluence's meanings on top of status codes: business errors are 400 `{detail:"…"}` strings
 * (classified by their words, exact texts partly unknown), the main API uses `{code, error}`.
 */
export function classifyFluenceError(status: number, parsed: ParsedErrorBody): ErrorKind | undefined {
  const code = (parsed.code ?? "").toLowerCase();
  const words = (parsed.message ?? "").toLowerCase();
  if (status === 429) return undefined;
  if (code === "insufficient_balance" || /insufficient (balance|funds)/.test(words)) return "quota";
  if (/no longer available|not available anymore|sold out|out of stock|no capacity/.test(words)) return "capacity";
  // "Only ACTIVE instances can be terminated": a state conflict the caller can wait out.
  if (status === 400 && /not active|non-active|only active|cannot be terminated|can't be terminated/.test(words)) return "conflict";
  if (code === "service_unavailable") return "server";
  if (code === "conflict") return "conflict";
  if (code === "not_found") return "notFound";
  // Fluence answers 403 for a missing or invalid key (documented; 401 on the newer overview).
  if (status === 403 && /api[ -]?key|credential|auth/.test(words)) return "auth";
  return undefined;
}

/** One look-up's answer inside a batch: a failed GET of one instance fails only its own callers. */
type Looked<T> = { value: T | undefined } | { error: unknown };

/** How long the first look-up waits for company (GPCN's loaders use the same). */
const WINDOW_MS = 50;
/** Fluence's lists have no pagination (shared/api/fluence.md §3): one call answers any number of ids. */
const MAX_BATCH = 1000;

/**
 * Coalescing of one instance kind's reads, shared by every resource of the host process.
 * Fluence's list items carry status, name, GPUs, location and `domain`, but not ssh_connection,
 * billing, os_image or ssh_key (§7): the list tells who changed, a GET gives the detail.
 */
class KindLoaders {
  /** Waits for ACTIVE: the list serves everyone still starting or gone; ACTIVE ones are read in full. */
  readonly running: BatchLoader<string, Looked<FluenceInstance>>;
  /** Status only (delete): the list serves everyone it shows. */
  readonly statuses: BatchLoader<string, Looked<FluenceInstance>>;
  /** Instances of a name, before a deploy: one listing for every create asking at that moment. */
  readonly names: BatchLoader<string, FluenceInstance[]>;
  /** The plans read before a deploy, shared by the deploys asking while it is in flight; never cached. */
  readonly plans: BatchLoader<"now", FluencePlanGroup[]>;

  constructor(client: FluenceClient, kind: FluenceKind) {
    const batched = (needsDetail: (listed: FluenceInstance) => boolean) =>
      new BatchLoader<string, Looked<FluenceInstance>>({ maxBatch: MAX_BATCH, windowMs: WINDOW_MS, load: (ids) => client.readMany(kind, ids, needsDetail) });
    this.running = batched((i) => instancePhase(i.status) === "active");
    this.statuses = batched(() => false);
    this.names = new BatchLoader({
      maxBatch: MAX_BATCH,
      windowMs: WINDOW_MS,
      load: async (names) => {
        const all = await client.listInstances(kind);
        return new Map(names.map((n) => [n, all.filter((i) => i.name === n)]));
      },
    });
    this.plans = new BatchLoader({
      maxBatch: MAX_BATCH,
      windowMs: WINDOW_MS,
      load: async (keys) => {
        const groups = await client.plans(kind);
        return new Map(keys.map((k) => [k, groups]));
      },
    });
  }
}

function unwrap<T>(looked: Looked<T> | undefined): T | undefined {
  if (!looked) return undefined;
  if ("error" in looked) throw looked.error;
  return looked.value;
}

export class FluenceClient {
  readonly sender: RequestSender;
  private readonly loaders: Record<FluenceKind, KindLoaders>;

  constructor(settings: CloudSettings, overrides: Partial<RequestSenderConfig> = {}) {
    this.sender = requestSenderFor(fluenceCloud, settings, overrides);
    this.loaders = { vm: new KindLoaders(this, "vm"), baremetal: new KindLoaders(this, "baremetal") };
  }

  /** Plans now, never cached: options vanish as they are rented. */
  async plans(kind: FluenceKind) {
    const res = await this.sender.send({ method: "GET", path: `/gpu/plans/${segment(kind)}`, schema: plansResponse });
    return res.data;
  }

  /**
   * Plans now, one read shared by every caller asking while it is in flight (64 concurrent
   * deploys: 1 read, not 64). Nothing is kept once it has answered.
   */
  async sharedPlans(kind: FluenceKind): Promise<FluencePlanGroup[]> {
    const groups = await this.loaders[kind].plans.load("now");
    if (!groups) throw new Error("Fluence plans answer missing");
    return groups;
  }

  async listInstances(kind: FluenceKind): Promise<FluenceInstance[]> {
    const res = await this.sender.send({ method: "GET", path: `/gpu/instances/${segment(kind)}`, schema: z.array(instanceSchema) });
    return res.data;
  }

  /** undefined when Fluence answers 404. */
  async getInstance(kind: FluenceKind, id: string): Promise<FluenceInstance | undefined> {
    try {
      const res = await this.sender.send({ method: "GET", path: `/gpu/instances/${segment(kind)}/${enc(id)}`, schema: instanceSchema });
      return res.data;
    } catch (err) {
      if (isKind(err, "notFound")) return undefined;
      throw err;
    }
  }

  /**
   * Like getInstance, for a waiter polling until ACTIVE: concurrent polls share one list call,
   * and only instances the list shows ACTIVE (or does not show) are read by id, so the one that
   * completes the wait is the full detail. Alone, it is one GET by id.
   */
  loadInstance(kind: FluenceKind, id: string): Promise<FluenceInstance | undefined> {
    return this.loaders[kind].running.load(id).then(unwrap);
  }

  /**
   * The instance as far as its status goes (undefined = 404): concurrent calls share one list
   * call; ids the list does not show are read by id. List items lack the detail fields.
   */
  loadStatus(kind: FluenceKind, id: string): Promise<FluenceInstance | undefined> {
    return this.loaders[kind].statuses.load(id).then(unwrap);
  }

  /** Instances with exactly this name; concurrent look-ups share one list call. */
  async findInstancesByName(kind: FluenceKind, name: string): Promise<FluenceInstance[]> {
    return (await this.loaders[kind].names.load(name)) ?? [];
  }

  /** Uncoalesced, fresh look-up: used right after a deploy whose answer was lost. */
  async findInstancesByNameNow(kind: FluenceKind, name: string): Promise<FluenceInstance[]> {
    return (await this.listInstances(kind)).filter((i) => i.name === name);
  }

  /** Batch body of the loaders: one id is one GET; several are one list plus GETs where the list is not enough. */
  async readMany(kind: FluenceKind, ids: string[], needsDetail: (listed: FluenceInstance) => boolean): Promise<Map<string, Looked<FluenceInstance>>> {
    const byId = async (id: string): Promise<Looked<FluenceInstance>> => {
      try {
        return { value: await this.getInstance(kind, id) };
      } catch (error) {
        return { error };
      }
    };
    if (ids.length === 1) {
      const one = await byId(ids[0]);
      if ("error" in one) throw one.error;
      return new Map([[ids[0], one]]);
    }
    const listed = new Map((await this.listInstances(kind)).map((i) => [i.id, i]));
    const found = await Promise.all(
      ids.map(async (id): Promise<[string, Looked<FluenceInstance>]> => {
        const item = listed.get(id);
        // Not listed: 404, or a list that drops some instances; the GET says which.
        return [id, item && !needsDetail(item) ? { value: item } : await byId(id)];
      }),
    );
    return new Map(found);
  }

  /** Returns the new instance id. Validation issues come back under our input names. */
  async deploy(kind: FluenceKind, body: { plan_id: string; name: string; ssh_key: string; os_image: string }): Promise<string> {
    try {
      const res = await this.sender.send({ method: "POST", path: `/gpu/instances/${segment(kind)}`, body, schema: deployResponse });
      return res.data;
    } catch (err) {
      throw withOurInputNames(err);
    }
  }

  async rename(kind: FluenceKind, id: string, name: string): Promise<void> {
    try {
      await this.sender.send({ method: "PUT", path: `/gpu/instances/${segment(kind)}/${enc(id)}`, body: { name } });
    } catch (err) {
      throw withOurInputNames(err);
    }
  }

  /** false when Fluence answers 404 (already gone). */
  async terminate(kind: FluenceKind, id: string): Promise<boolean> {
    try {
      await this.sender.send({ method: "DELETE", path: `/gpu/instances/${segment(kind)}/${enc(id)}` });
      return true;
    } catch (err) {
      if (isKind(err, "notFound")) return false;
      throw err;
    }
  }

  /** Every key in the account's library (main API pagination, 200 per page as Fluence's own client asks). */
  async listSshKeys(ids?: string[]): Promise<FluenceSshKey[]> {
    const all: FluenceSshKey[] = [];
    for (let page = 1; ; page++) {
      const res = await this.sender.send({
        method: "GET",
        path: "/v1/ssh_keys",
        query: { ids: ids?.join(","), page, perPage: 200 },
        schema: sshKeyListResponse,
      });
      all.push(...res.data.keys);
      if (!res.data.totalPages || page >= res.data.totalPages || res.data.keys.length === 0) return all;
    }
  }

  /** The key with this id, or undefined when the library no longer has it. */
  async getSshKey(id: string): Promise<FluenceSshKey | undefined> {
    // No GET by id exists; `ids=` filters the list (and we filter again if a server ignores it).
    return (await this.listSshKeys([id])).find((k) => k.id === id);
  }

  /** A 409 (duplicate key material) is thrown as ConflictError for the caller to adopt. */
  async createSshKey(name: string, publicKey: string): Promise<FluenceSshKey> {
    try {
      const res = await this.sender.send({ method: "POST", path: "/v1/ssh_keys", body: { name, publicKey }, schema: sshKeySchema });
      return res.data;
    } catch (err) {
      throw withOurInputNames(err);
    }
  }

  /** false when the key was already gone. */
  async deleteSshKey(id: string): Promise<boolean> {
    try {
      await this.sender.send({ method: "DELETE", path: `/v1/ssh_keys/${enc(id)}` });
      return true;
    } catch (err) {
      if (isKind(err, "notFound")) return false;
      throw err;
    }
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

/** The process-wide client for these settings. */
export const fluenceClientFor = processWideClients((settings) => new FluenceClient(settings));
