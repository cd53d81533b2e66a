/** Every documented limit of `POST /gpu/instance/create` (shared/api/novita.md §6, seed 003). */

import type { PortSpec } from "./instanceRecord";

export interface CreateRequest {
  name: string;
  productId: string;
  gpuNum: number;
  rootfsSize: number;
  imageUrl: string;
  imageAuth?: string;
  imageAuthId?: string;
  ports: PortSpec[];
  envs: { key: string; value: string }[];
  tools: { name: string; port: number; type: "tcp" | "http" }[];
  command: string;
  entrypoint: string;
  clusterId: string;
  networkStorages: { id: string; mountPoint: string }[];
  networkId: string;
  kind: "gpu" | "cpu";
  month: number;
  billingMode: "onDemand" | "monthly" | "spot";
  autoRenew: boolean;
  autoRenewMonth: number;
  minCudaVersion: string;
}

export const RESERVED_PORTS = [2222, 2223, 2224];
const PORT_TYPES = ["tcp", "http"];

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; problems: string[] };

class Problems {
  readonly list: { field: string; message: string }[] = [];
  add(field: string, message: string) {
    this.list.push({ field, message });
  }
  text(body: Record<string, unknown>, field: string, min: number, max: number, required = false): string {
    const v = body[field];
    if (v === undefined || v === null) {
      if (required) this.add(field, "is required");
      return "";
    }
    if (typeof v !== "string") this.add(field, "must be a string");
    else if (v.length < min || v.length > max) this.add(field, `length must be ${min}-${max}`);
    return typeof v === "string" ? v : "";
  }
  int(body: Record<string, unknown>, field: string, min: number, max: number, required = false): number | undefined {
    const v = body[field];
    if (v === undefined || v === null) {
      if (required) this.add(field, "is required");
      return undefined;
    }
    if (typeof v !== "number" || !Number.isInteger(v)) this.add(field, "must be an integer");
    else if (v < min || v > max) this.add(field, `must be in [${min}, ${max}]`);
    return typeof v === "number" ? v : undefined;
  }
}

/** Validates a port number as the docs say: 1–65535, not 2222–2224. */
export function portProblem(port: unknown): string | undefined {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) return `port ${String(port)} must be in [1, 65535]`;
  if (RESERVED_PORTS.includes(port)) return `port ${port} is reserved for internal use`;
  return undefined;
}

/** "80/http, 3306/tcp" → ports, or the problem. */
export function parsePortsString(v: string): { ports: PortSpec[]; problem?: string } {
  const ports: PortSpec[] = [];
  for (const part of v.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)\/(\w+)$/.exec(part);
    if (!m) return { ports, problem: `"${part}" must look like 80/http` };
    const problem = portProblem(Number(m[1])) ?? (PORT_TYPES.includes(m[2]) ? undefined : `port type ${m[2]} must be tcp or http`);
    if (problem) return { ports, problem };
    ports.push({ port: Number(m[1]), type: m[2] as PortSpec["type"] });
  }
  return { ports };
}

export function parseCreateRequest(body: unknown): { ok: true; value: CreateRequest } | { ok: false; problems: { field: string; message: string }[] } {
  const p = new Problems();
  if (!body || typeof body !== "object" || Array.isArray(body)) return { ok: false, problems: [{ field: "body", message: "must be a JSON object" }] };
  const b = body as Record<string, unknown>;
  const name = p.text(b, "name", 0, 255);
  const productId = p.text(b, "productId", 1, 255, true);
  const gpuNum = p.int(b, "gpuNum", 1, 8, true) ?? 0;
  let rootfsSize = p.int(b, "rootfsSize", 0, 6144, true) ?? 0;
  if (rootfsSize < 10) rootfsSize = 10; // documented: below 10 is raised to 10
  const imageUrl = p.text(b, "imageUrl", 1, 500, true);
  const imageAuth = p.text(b, "imageAuth", 0, 10239);
  const imageAuthId = p.text(b, "imageAuthId", 0, 255);
  let ports: PortSpec[] = [];
  if (b.ports !== undefined && b.ports !== "") {
    if (typeof b.ports !== "string") p.add("ports", 'must be a string such as "80/http, 3306/tcp"');
    else {
      const parsed = parsePortsString(b.ports);
      if (parsed.problem) p.add("ports", parsed.problem);
      ports = parsed.ports;
    }
  }
  const envs = Array.isArray(b.envs) ? (b.envs as any[]) : [];
  if (b.envs !== undefined && !Array.isArray(b.envs)) p.add("envs", "must be a list");
  if (envs.length > 100) p.add("envs", "at most 100 environment variables");
  for (const e of envs) {
    if (typeof e?.key !== "string" || e.key.length > 511) p.add("envs", "key must be a string of 0-511 characters");
    if (typeof e?.value !== "string" || e.value.length > 4095) p.add("envs", "value must be a string of 0-4095 characters");
  }
  const tools = Array.isArray(b.tools) ? (b.tools as any[]) : [];
  for (const t of tools) {
    if (t?.name !== "Jupyter") p.add("tools", "name must be Jupyter");
    if (typeof t?.port !== "string") p.add("tools", "port must be a string");
    else {
      const problem = portProblem(Number(t.port));
      if (problem) p.add("tools", problem);
    }
    if (!PORT_TYPES.includes(t?.type)) p.add("tools", "type must be tcp or http");
  }
  if (ports.length + tools.length > 15) p.add("ports", "ports + tools must not exceed 15");
  const command = p.text(b, "command", 0, 2047);
  const entrypoint = p.text(b, "entrypoint", 0, 2047);
  const clusterId = p.text(b, "clusterId", 0, 255);
  const storages = Array.isArray(b.networkStorages) ? (b.networkStorages as any[]) : [];
  if (storages.length > 30) p.add("networkStorages", "at most 30 network storages");
  for (const s of storages) {
    if (typeof s?.Id !== "string" || !s.Id) p.add("networkStorages", "Id is required");
    if (s?.mountPoint !== undefined && (typeof s.mountPoint !== "string" || s.mountPoint.length < 1 || s.mountPoint.length > 4095)) {
      p.add("networkStorages", "mountPoint length must be 1-4095");
    }
  }
  const networkId = p.text(b, "networkId", 0, 255);
  if (b.kind === undefined) p.add("kind", "is required");
  else if (b.kind !== "gpu" && b.kind !== "cpu") p.add("kind", "must be gpu or cpu");
  const month = p.int(b, "month", 0, 1200) ?? 0;
  if (b.billingMode !== undefined && !["onDemand", "monthly", "spot"].includes(b.billingMode as string)) p.add("billingMode", "must be onDemand, monthly or spot");
  const billingMode = month > 0 ? "monthly" : ((b.billingMode as CreateRequest["billingMode"]) ?? "onDemand");
  if (billingMode === "monthly" && month === 0) p.add("month", "must be > 0 for monthly billing");
  if (b.autoRenew !== undefined && typeof b.autoRenew !== "boolean") p.add("autoRenew", "must be a boolean");
  const autoRenewMonth = p.int(b, "autoRenewMonth", 1, 12) ?? 0;
  const minCudaVersion = p.text(b, "minCudaVersion", 0, 255);
  if (minCudaVersion && !/^\d+\.\d+$/.test(minCudaVersion)) p.add("minCudaVersion", "must look like 12.4");
  if (p.list.length) return { ok: false, problems: p.list };
  return {
    ok: true,
    value: {
      name, productId, gpuNum, rootfsSize, imageUrl, imageAuth: imageAuth || undefined, imageAuthId, ports, envs,
      tools: tools.map((t) => ({ name: t.name, port: Number(t.port), type: t.type })),
      command, entrypoint, clusterId,
      networkStorages: storages.map((s) => ({ id: s.Id, mountPoint: s.mountPoint ?? "/network" })),
      networkId, kind: b.kind as CreateRequest["kind"], month, billingMode,
      autoRenew: billingMode === "monthly" && b.autoRenew === true,
      autoRenewMonth: billingMode === "monthly" && b.autoRenew === true ? autoRenewMonth || 1 : 0,
      minCudaVersion,
    },
  };
}
