/** Plain-fetch helpers for the GPCN emulator tests. */

import type { GpcnEmulator } from "../../emulator";

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** API key to send; `null` sends none. Defaults to the emulator's first key. */
  key?: string | null;
  /** How to send the key. */
  authStyle?: "x-api-key" | "bearer";
  rawBody?: string;
  /** More headers, e.g. another cloud's key header (tests/emulator/matrix). */
  headers?: Record<string, string>;
}

export async function call<T = any>(emu: GpcnEmulator, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
  return callUrl<T>(`${emu.url}${path}`, method, { ...opts, key: opts.key === undefined ? emu.apiKeys[0] : opts.key });
}

export async function callUrl<T = any>(url: string, method: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) {
    if (opts.authStyle === "bearer") headers.Authorization = `Bearer ${opts.key}`;
    else headers["X-API-Key"] = opts.key;
  }
  let payload: string | undefined;
  if (opts.rawBody !== undefined) payload = opts.rawBody;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  let body: any = undefined;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface Offer {
  datacenterId: string;
  seriesId: string;
  seriesCode: string;
  gpuCount: number;
  skuCodes: string[];
}

/** The first stocked offer in the inventory (optionally of one series). */
export async function firstOffer(emu: GpcnEmulator, seriesCode = "h100_series"): Promise<Offer> {
  const inv = await call(emu, "GET", `/resource/gpu/inventory?code=${seriesCode}`);
  const series = inv.body.data.series[0];
  const location = series.availability[0];
  const counts = location.gpuCounts[0];
  return {
    datacenterId: location.datacenterId,
    seriesId: series.id,
    seriesCode: series.code,
    gpuCount: counts.count,
    skuCodes: counts.availableSkus.map((s: { skuCode: string }) => s.skuCode),
  };
}

/** Uploads a fresh key and returns its id. */
export async function createSshKey(emu: GpcnEmulator, name = "test-key"): Promise<string> {
  const res = await call(emu, "POST", "/resource/ssh-keys", { body: { name, type: "generate", algorithm: "ed25519" } });
  if (res.status !== 201) throw new Error(`ssh key create failed: ${res.status} ${res.text}`);
  return res.body.data.id;
}

export async function createVmBody(emu: GpcnEmulator, name = "trainer-1", extra: Record<string, unknown> = {}) {
  const offer = await firstOffer(emu);
  const sshKeyId = await createSshKey(emu);
  return { name, datacenterId: offer.datacenterId, seriesId: offer.seriesId, gpuCount: offer.gpuCount, sshKeyId, ...extra };
}

export async function pollJob(emu: GpcnEmulator, jobId: string) {
  const res = await call(emu, "POST", "/resource/jobs", { body: { jobIds: [jobId] } });
  return res.body.data.jobs[0];
}

/** Polls the jobs endpoint until the job is terminal; returns every observed view. */
export async function pollJobToEnd(emu: GpcnEmulator, jobId: string, timeoutMs = 10_000) {
  const seen: any[] = [];
  await pollUntil(async () => {
    const job = await pollJob(emu, jobId);
    seen.push(job);
    return job.isTerminal ? job : undefined;
  }, timeoutMs);
  return seen;
}
