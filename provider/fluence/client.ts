import { createHash } from "node:crypto";
import { z } from "zod";
import { ErrorKind, isKind, ParsedErrorBody } from "../core/errors";
import { logProgress } from "../core/progressLog";
import { sharedRateLimiter } from "../core/rateLimiter";
import { RequestSender, RequestSenderConfig } from "../core/requestSender";
import { CloudSettings, CloudSpec, requireApiKey } from "../core/settings";
import { withOurInputNames } from "./inputNames";
import { deployResponse, FluenceInstance, FluenceSshKey, instanceSchema, plansResponse, sshKeyListResponse, sshKeySchema } from "./schemas";

export const fluenceCloud: CloudSpec = {
  name: "fluence",
  label: "Fluence",
  envPrefix: "FLUENCE",
  defaultEndpoint: "https://api.fluence.dev",
  // Fluence publishes no limit (shared/api/fluence.md §3): a polite budget of our own.
  defaultRateBudget: { limit: 120, windowMs: 60_000 },
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

export class FluenceClient {
  readonly sender: RequestSender;

  constructor(settings: CloudSettings, overrides: Partial<RequestSenderConfig> = {}) {
    const apiKey = requireApiKey(fluenceCloud, settings);
    this.sender = new RequestSender({
      cloud: "Fluence",
      baseUrl: settings.endpoint,
      apiKey,
      authHeaders: (key) => ({ "x-api-key": key }),
      limiter: sharedRateLimiter("fluence", settings.endpoint, apiKey, settings.rateBudget),
      classifyError: classifyFluenceError,
      log: (m) => logProgress("info", m),
      ...overrides,
    });
  }

  /** Plans now, never cached: options vanish as they are rented. */
  async plans(kind: FluenceKind) {
    const res = await this.sender.send({ method: "GET", path: `/gpu/plans/${segment(kind)}`, schema: plansResponse });
    return res.data;
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

const clients = new Map<string, FluenceClient>();

/** One client per endpoint and key in the process, so rate limiting sees every resource. */
export function fluenceClientFor(settings: CloudSettings): FluenceClient {
  const key = `${settings.endpoint}|${createHash("sha256").update(settings.apiKey ?? "").digest("hex")}`;
  let client = clients.get(key);
  if (!client) {
    client = new FluenceClient(settings);
    clients.set(key, client);
  }
  return client;
}
