import { z } from "zod";
import { processWideClients } from "../core/clientCache";
import { BatchLoader } from "../core/batchLoader";
import { ErrorKind, isKind, ParsedErrorBody } from "../core/errors";
import type { RequestSender, RequestSenderConfig } from "../core/requestSender";
import type { CloudSettings } from "../core/settings";
import { ClientSpec, requestSenderFor } from "../core/clientFactory";
import {
  createSshKeyData,
  createVmData,
  deleteVmData,
  envelope,
  GpcnInventory,
  GpcnJob,
  GpcnVm,
  inventoryData,
  jobsData,
  sshKeySchema,
  vmSchema,
} from "./schemas";

export const gpcnCloud: ClientSpec = {
  name: "gpcn",
  label: "GPCN",
  envPrefix: "GPCN",
  defaultEndpoint: "https://api.gpcn.com/v1",
  defaultRateBudget: { limit: 100, windowMs: 60_000 }, // documented: 100 requests / 60 s per user
  authHeaders: (key) => ({ "x-api-key": key }),
  classifyError: (status, parsed) => classifyGpcnError(status, parsed),
};

/** GPCN's own meanings on top of the status codes (shared/api/gpcn.md §2, §6). */
export function classifyGpcnError(status: number, parsed: ParsedErrorBody): ErrorKind | undefined {
  const words = `${parsed.code ?? ""} ${parsed.message ?? ""}`.toLowerCase();
  if (status === 409 && /inventory|depleted|unavailable|no longer available/.test(words)) return "capacity";
  if (status === 503 && !/maintenance/.test(words)) return "capacity"; // "GPU provider not available"
  if (words.includes("gpu_provider_unavailable")) return "capacity";
  if (status === 403 && words.includes("gpu feature not enabled")) return "permission";
  if (/quota|limit exceeded|insufficient (balance|funds|credit)/.test(words) && status !== 429) return "quota";
  return undefined;
}

const JOB_BATCH = 50; // POST /resource/jobs takes 1–50 ids
const PAGE = 100; // list limit 1–100

export class GpcnClient {
  readonly sender: RequestSender;
  private readonly jobs: BatchLoader<string, GpcnJob>;
  private readonly vms: BatchLoader<string, GpcnVm>;
  private readonly names: BatchLoader<string, GpcnVm[]>;
  private readonly stock: BatchLoader<string, GpcnInventory>;

  constructor(settings: CloudSettings, overrides: Partial<RequestSenderConfig> = {}) {
    this.sender = requestSenderFor(gpcnCloud, settings, overrides);
    this.jobs = new BatchLoader({ maxBatch: JOB_BATCH, windowMs: 100, load: (ids) => this.fetchJobs(ids) });
    this.vms = new BatchLoader({ maxBatch: 1000, windowMs: 50, load: (ids) => this.fetchVms(ids) });
    this.names = new BatchLoader({ maxBatch: 1000, windowMs: 50, load: (names) => this.fetchByNames(names) });
    // Concurrent creates share one inventory read: 64 VMs must not spend 64 of GPCN's 100 requests
    // a minute on the same answer. Only requests in flight are shared; stock is never cached.
    this.stock = new BatchLoader({
      maxBatch: 1000,
      windowMs: 50,
      load: async (keys) => {
        const inventory = await this.inventory();
        return new Map(keys.map((k) => [k, inventory]));
      },
    });
  }

  /** The whole inventory, read once for all creates asking at the same moment. */
  async sharedInventory(): Promise<GpcnInventory> {
    const inventory = await this.stock.load("all");
    if (!inventory) throw new Error("GPCN inventory answer missing");
    return inventory;
  }

  async inventory(filter: { code?: string; datacenterId?: string; count?: number } = {}) {
    const res = await this.sender.send({ method: "GET", path: "/resource/gpu/inventory", query: filter, schema: envelope(inventoryData) });
    return res.data.data;
  }

  async listVms(page = 1, search?: string) {
    const res = await this.sender.send({
      method: "GET",
      path: "/resource/gpu",
      query: { page, limit: PAGE, search },
      schema: envelope(z.array(vmSchema)),
    });
    return { vms: res.data.data, hasNextPage: res.data.meta?.hasNextPage ?? res.data.data.length === PAGE };
  }

  async listAllVms(search?: string): Promise<GpcnVm[]> {
    const all: GpcnVm[] = [];
    for (let page = 1; ; page++) {
      const { vms, hasNextPage } = await this.listVms(page, search);
      all.push(...vms);
      if (!hasNextPage || vms.length === 0) return all;
    }
  }

  /** undefined when GPCN answers 404 (the VM is gone). */
  async getVm(id: string): Promise<GpcnVm | undefined> {
    try {
      const res = await this.sender.send({ method: "GET", path: `/resource/gpu/${enc(id)}`, schema: envelope(vmSchema) });
      return res.data.data;
    } catch (err) {
      if (isKind(err, "notFound")) return undefined;
      throw err;
    }
  }

  /** Like getVm, but concurrent calls share list requests (64 VMs: 1 list, not 64 GETs). */
  loadVm(id: string): Promise<GpcnVm | undefined> {
    return this.vms.load(id);
  }

  /** VMs with exactly this name; concurrent look-ups share one listing. */
  findVmsByName(name: string): Promise<GpcnVm[]> {
    return this.names.load(name).then((v) => v ?? []);
  }

  /** Uncoalesced, fresh look-up: used right after a create whose answer was lost. */
  async findVmsByNameNow(name: string): Promise<GpcnVm[]> {
    return (await this.listAllVms(name)).filter((v) => v.name === name);
  }

  async createVm(body: Record<string, unknown>): Promise<GpcnJob> {
    const res = await this.sender.send({ method: "POST", path: "/resource/gpu", body, schema: envelope(createVmData) });
    return res.data.data;
  }

  async updateVm(id: string, body: Record<string, unknown>): Promise<GpcnVm | undefined> {
    const res = await this.sender.send({ method: "PUT", path: `/resource/gpu/${enc(id)}`, body, schema: envelope(vmSchema.nullish()) });
    return res.data.data ?? undefined;
  }

  /**
   * POST /resource/gpu/{id}/start or /stop: the older guide's single-VM power actions (gpcn.md §4,
   * §7, doc-old; start may answer 501). The answer is not read; callers poll the VM. Not resent
   * blindly: a repeated action finds the VM in the wrong state.
   */
  async power(id: string, action: "start" | "stop"): Promise<void> {
    await this.sender.send({ method: "POST", path: `/resource/gpu/${enc(id)}/${action}`, schema: z.unknown() });
  }

  /** The deletion job, or "gone" when GPCN answers 404. */
  async deleteVm(id: string): Promise<GpcnJob | "gone" | undefined> {
    try {
      const res = await this.sender.send({ method: "DELETE", path: `/resource/gpu/${enc(id)}`, schema: envelope(deleteVmData).nullish() });
      return res.data?.data ?? undefined;
    } catch (err) {
      if (isKind(err, "notFound")) return "gone";
      throw err;
    }
  }

  /** One job; concurrent waiters share POST /resource/jobs batches of up to 50 ids. */
  loadJob(jobId: string): Promise<GpcnJob | undefined> {
    return this.jobs.load(jobId);
  }

  async listSshKeys() {
    const res = await this.sender.send({ method: "GET", path: "/resource/ssh-keys", query: { limit: PAGE }, schema: envelope(z.array(sshKeySchema)) });
    return res.data.data;
  }

  async getSshKey(id: string) {
    try {
      const res = await this.sender.send({ method: "GET", path: `/resource/ssh-keys/${enc(id)}`, schema: envelope(sshKeySchema) });
      return res.data.data;
    } catch (err) {
      if (isKind(err, "notFound")) return undefined;
      throw err;
    }
  }

  async createSshKey(body: Record<string, unknown>) {
    const res = await this.sender.send({ method: "POST", path: "/resource/ssh-keys", body, schema: envelope(createSshKeyData) });
    return res.data.data;
  }

  async renameSshKey(id: string, name: string): Promise<void> {
    await this.sender.send({ method: "PUT", path: `/resource/ssh-keys/${enc(id)}`, body: { name } });
  }

  /** false when the key was already gone. */
  async deleteSshKey(id: string): Promise<boolean> {
    try {
      await this.sender.send({ method: "DELETE", path: `/resource/ssh-keys/${enc(id)}` });
      return true;
    } catch (err) {
      if (isKind(err, "notFound")) return false;
      throw err;
    }
  }

  private async fetchJobs(ids: string[]): Promise<Map<string, GpcnJob>> {
    // A read, although it is a POST: resending it is harmless.
    const res = await this.sender.send({ method: "POST", path: "/resource/jobs", body: { jobIds: ids }, schema: envelope(jobsData), idempotent: true });
    return new Map(res.data.data.jobs.map((j) => [j.jobId, j]));
  }

  private async fetchVms(ids: string[]): Promise<Map<string, GpcnVm>> {
    if (ids.length === 1) {
      const vm = await this.getVm(ids[0]);
      return new Map(vm ? [[vm.id, vm]] : []);
    }
    const listed = new Map((await this.listAllVms()).map((v) => [v.id, v]));
    const found = new Map<string, GpcnVm>();
    for (const id of ids) {
      const vm = listed.get(id) ?? (await this.getVm(id)); // not listed: deleted, or hidden by a filter
      if (vm) found.set(id, vm);
    }
    return found;
  }

  private async fetchByNames(names: string[]): Promise<Map<string, GpcnVm[]>> {
    const vms = names.length === 1 ? await this.listAllVms(names[0]) : await this.listAllVms();
    return new Map(names.map((n) => [n, vms.filter((v) => v.name === n)]));
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

/** The process-wide client for these settings. */
export const gpcnClientFor = processWideClients((settings) => new GpcnClient(settings));
