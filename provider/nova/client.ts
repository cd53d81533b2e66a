import { z } from "zod";
import { processWideClients } from "../core/clientCache";
import { ErrorKind, GpuCloudError, isKind, ParsedErrorBody } from "../core/errors";
import { logProgress } from "../core/progressLog";
import type { RequestSender, RequestSenderConfig } from "../core/requestSender";
import type { CloudSettings } from "../core/settings";
import { ClientSpec, requestSenderFor } from "../core/clientFactory";
import { gpuTypeKey } from "./gpuTypes";
import { vmPhase } from "./observations";
import { SerialBatcher, SharedRead } from "../core/sharedReads";
import { listOf, NovaOffer, NovaSshKey, NovaVm, offerSchema, pricingSchema, sshKeySchema, vmSchema } from "./schemas";

export const novaCloud: ClientSpec = {
  name: "nova",
  label: "Nova",
  envPrefix: "NOVA",
  defaultEndpoint: "https://api.nova-cloud.ai",
  // Nova publishes no numbers ("VM operations: moderate", nova.md §3). One request a second per
  // key is where the budget starts; it adapts to Nova's 429s. `nova:requestsPerMinute` /
  // NOVA_REQUESTS_PER_MINUTE set a hard budget instead.
  defaultRateBudget: { limit: 60, windowMs: 60_000, adaptive: true }, // a starting point, not a cap: grows without 429s, halves on one (core/rateLimiter.ts)
  authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  classifyError: (status, parsed) => classifyNovaError(status, parsed),
};

/**
 * Nova answers business failures with a `{detail}` string and (inferred) status 400 or 403, so
 * the words decide: balance and account limits are quota, no free GPUs is capacity.
 */
export function classifyNovaError(status: number, parsed: ParsedErrorBody): ErrorKind | undefined {
  if (status === 429 || status >= 500) return undefined;
  const words = (parsed.message ?? "").toLowerCase();
  if (/insufficient (balance|funds|credit)/.test(words)) return "quota";
  if (/(maximum|max|limit)[^.]*ssh keys?|ssh keys? (limit|quota)/.test(words)) return "quota";
  if (/vm limit|max(imum)?[ _]vms|(max(imum)?|limit)[^.]*hourly spend|max_hourly_spend|spend limit|quota/.test(words)) return "quota";
  if (/no (free|available) gpus?|not enough (free |available )?gpus?|insufficient (gpu )?capacity|out of (stock|capacity)|no capacity|fully (booked|allocated)/.test(words)) {
    return "capacity";
  }
  return undefined;
}

/**
 * A route the API does not have: 405/501, or FastAPI's bare `{"detail":"Not Found"}` for an
 * unknown path (a missing VM says "VM not found"). Used for the undocumented routes only.
 */
export function isMissingRoute(err: unknown): boolean {
  if (!(err instanceof GpuCloudError)) return false;
  if (err.status === 405 || err.status === 501) return true;
  return err.status === 404 && /^not found$/i.test(err.cloudMessage ?? "");
}

const PAGE = 50; // documented default `limit`; no total is returned

/** Items of an inferred list shape: each parsed on its own, ones that do not fit are skipped. */
function parseEach<T extends z.ZodType>(schema: T, items: unknown[]): z.output<T>[] {
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

const anyList = listOf(z.unknown());

export class NovaClient {
  private senderForKey?: RequestSender;
  /** /search and /pricing need no key (documented): users can list offers before signing up. */
  readonly publicSender: RequestSender;
  private readonly vms: SerialBatcher<string, NovaVm>;
  private readonly offers: SharedRead<NovaOffer[]>;
  private readonly listing: SharedRead<NovaVm[] | undefined>;
  /** GET /vms answered "no such route" once: it is not asked again by this client. */
  private listMissing = false;
  private listWarned = false;
  /** `node|GPU type key` → the spelling /search uses there. A name table, not stock: kept. */
  private readonly spellings = new Map<string, string>();

  constructor(
    private readonly settings: CloudSettings,
    private readonly overrides: Partial<RequestSenderConfig> = {},
  ) {
    this.publicSender = requestSenderFor(novaCloud, settings, overrides, "public");
    this.vms = new SerialBatcher({ windowMs: 50, load: (ids) => this.fetchVms(ids) });
    // Concurrent creates share one /search: 64 VMs must not read the same offers 64 times. Only a
    // read still pending is shared; offers are never cached.
    this.offers = new SharedRead(50, () => this.search());
    this.listing = new SharedRead(50, () => this.listVms());
  }

  /** The authenticated sender; the key is required only now, so public look-ups work without one. */
  get sender(): RequestSender {
    if (!this.senderForKey) {
      this.senderForKey = requestSenderFor(novaCloud, this.settings, this.overrides);
    }
    return this.senderForKey;
  }

  async search(): Promise<NovaOffer[]> {
    const res = await this.publicSender.send({ method: "GET", path: "/search", schema: anyList });
    const offers = parseEach(offerSchema, res.data);
    for (const o of offers) if (o.node) this.spellings.set(`${o.node}|${String(gpuTypeKey(o.gpuType))}`, o.gpuType);
    return offers;
  }

  /** The offers now; creates asking at the same moment share one GET /search. */
  sharedSearch(): Promise<NovaOffer[]> {
    return this.offers.get();
  }

  /** How /search spelled this GPU type on this node, if an answer in this process said so. */
  knownGpuTypeSpelling(node: string, gpuType: string): string | undefined {
    return this.spellings.get(`${node}|${String(gpuTypeKey(gpuType))}`);
  }

  async pricing() {
    return (await this.publicSender.send({ method: "GET", path: "/pricing", schema: pricingSchema })).data;
  }

  /** Every VM of the account, or undefined when Nova has no list route (it is inferred). */
  async listVms(): Promise<NovaVm[] | undefined> {
    if (this.listMissing) return undefined;
    const all: NovaVm[] = [];
    try {
      for (let offset = 0; ; offset += PAGE) {
        const res = await this.sender.send({ method: "GET", path: "/vms", query: { limit: PAGE, offset }, schema: anyList });
        all.push(...parseEach(vmSchema, res.data));
        if (res.data.length < PAGE) return all;
      }
    } catch (err) {
      if (!isMissingRoute(err)) throw err;
      this.listMissing = true;
      if (!this.listWarned) logProgress("warn", `Nova: GET /vms is not available (${(err as Error).message}); existing VMs cannot be looked up before a create`);
      this.listWarned = true;
      return undefined;
    }
  }

  /** Every VM of the account (undefined without GET /vms); concurrent callers share a listing still in flight. */
  sharedListVms(): Promise<NovaVm[] | undefined> {
    return this.listing.get();
  }

  /** undefined when Nova answers 404 (the VM is gone). */
  async getVm(id: string): Promise<NovaVm | undefined> {
    try {
      return (await this.sender.send({ method: "GET", path: `/vms/${enc(id)}`, schema: vmSchema })).data;
    } catch (err) {
      if (isKind(err, "notFound")) return undefined;
      throw err;
    }
  }

  /**
   * Like getVm, but concurrent calls share reads: several ids → one GET /vms listing (in pages),
   * then GET /vms/{id} only for ids it did not show; one id → GET /vms/{id}. Without a list route,
   * one GET per id. Each answer comes from a read started after the call (SerialBatcher).
   */
  loadVm(id: string): Promise<NovaVm | undefined> {
    return this.vms.load(id);
  }

  /** POST /vms answers the VM in `creating` (documented; 200 or 201 both accepted). */
  async createVm(body: Record<string, unknown>): Promise<NovaVm> {
    // Counts the label PATCH that must follow at once (markAsThisResources) in the same grant.
    return (await this.sender.send({ method: "POST", path: "/vms", body, schema: vmSchema, rateSlot: "withFollowUp" })).data;
  }

  /**
   * PATCH /vms/{id} with `instance_label` / `auto_restart` (inferred, low confidence). Returns
   * "unsupported" when Nova has no such route, so callers keep the name client-side.
   */
  async updateVm(id: string, body: Record<string, unknown>, opts: { followUpOfCreate?: boolean } = {}): Promise<NovaVm | undefined | "unsupported"> {
    try {
      const res = await this.sender.send({ method: "PATCH", path: `/vms/${enc(id)}`, body, schema: z.unknown(), rateSlot: opts.followUpOfCreate ? "followUp" : undefined });
      const vm = vmSchema.safeParse(res.data);
      return vm.success ? vm.data : undefined;
    } catch (err) {
      if (isMissingRoute(err)) return "unsupported";
      throw err;
    }
  }

  /**
   * POST /vms/{id}/start or /stop (inferred, nova.md §4, §8): the VM or `{message}`, so the answer
   * is not read; callers poll. Not resent blindly: a second stop is a wrong-state 400. "unsupported"
   * when Nova has no such route.
   */
  async power(id: string, action: "start" | "stop"): Promise<"accepted" | "unsupported"> {
    try {
      await this.sender.send({ method: "POST", path: `/vms/${enc(id)}/${action}`, schema: z.unknown() });
      return "accepted";
    } catch (err) {
      if (isMissingRoute(err)) return "unsupported";
      throw err;
    }
  }

  /** DELETE /vms/{id} (inferred): any 2xx is accepted (the VM, `{message}` or 204); "gone" on 404. */
  async deleteVm(id: string): Promise<"accepted" | "gone"> {
    try {
      await this.sender.send({ method: "DELETE", path: `/vms/${enc(id)}` });
      return "accepted";
    } catch (err) {
      if (isKind(err, "notFound")) return "gone";
      throw err;
    }
  }

  async createSshKey(body: { ssh_public_key: string; label?: string }): Promise<NovaSshKey> {
    return (await this.sender.send({ method: "POST", path: "/ssh-keys", body, schema: sshKeySchema })).data;
  }

  async getSshKey(id: string): Promise<NovaSshKey | undefined> {
    try {
      return (await this.sender.send({ method: "GET", path: `/ssh-keys/${enc(id)}`, schema: sshKeySchema })).data;
    } catch (err) {
      if (isKind(err, "notFound")) return undefined;
      throw err;
    }
  }

  /** The account's keys, or undefined when Nova has no list route (inferred). */
  async listSshKeys(): Promise<NovaSshKey[] | undefined> {
    try {
      const res = await this.sender.send({ method: "GET", path: "/ssh-keys", schema: anyList });
      return parseEach(sshKeySchema, res.data);
    } catch (err) {
      if (isMissingRoute(err)) return undefined;
      throw err;
    }
  }

  /** DELETE /ssh-keys/{id} (inferred): "gone" on 404, "unsupported" when the route does not exist. */
  async deleteSshKey(id: string): Promise<"deleted" | "gone" | "unsupported"> {
    try {
      await this.sender.send({ method: "DELETE", path: `/ssh-keys/${enc(id)}` });
      return "deleted";
    } catch (err) {
      if (isMissingRoute(err)) return "unsupported";
      if (isKind(err, "notFound")) return "gone";
      throw err;
    }
  }

  private async fetchVms(ids: string[]): Promise<Map<string, NovaVm>> {
    const listed = ids.length > 1 ? await this.listVms() : undefined;
    const byId = new Map((listed ?? []).map((v) => [v.id, v]));
    const found = new Map<string, NovaVm>();
    await Promise.all(
      ids.map(async (id) => {
        let vm = byId.get(id);
        // Not listed (gone, or past a page boundary that shifted), or listed `running` without an
        // IP (a list item may be sparser than the VM itself): ask for the VM itself.
        if (!vm || (vm.status === "running" && vmPhase(vm) !== "ready")) vm = await this.getVm(id);
        if (vm) found.set(id, vm);
      }),
    );
    return found;
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

/** The process-wide client for these settings. */
export const novaClientFor = processWideClients((settings) => new NovaClient(settings));
