import { z } from "zod";

// Response shapes of Novita's GPU instance API v1 (shared/api/novita.md §4, §5, §10). Novita sends
// many numbers as strings (cpuNum, gpuNum, prices, createdAt): they are parsed here, never trusted
// as numbers; unknown fields are dropped; every normalization happens here.

const text = z.string().nullish().transform((v) => (v === null || v === undefined || v === "" ? undefined : v));
const id = z.union([z.string(), z.number()]).transform(String);
/** A number sent as a number or a string; "" and garbage read as absent. */
export const looseNumber = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined || (typeof v === "string" && v.trim() === "")) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  });
const flag = z.union([z.boolean(), z.string()]).nullish().transform((v) => (typeof v === "string" ? v === "true" : v ?? undefined));
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((v) => v ?? []);

/** Novita prices are integers in 1/100 000 USD (per hour); USD has more meaning to a reader. */
export const USD_UNITS = 100_000;
export const toUsd = (units: number | undefined) => (units === undefined ? undefined : units / USD_UNITS);

const portMapping = z.object({ port: looseNumber, endpoint: text, type: text }).transform((p) => ({
  port: p.port,
  endpoint: p.endpoint,
  type: p.type?.toLowerCase(),
}));

const statusError = z
  .object({ state: text, message: text })
  .nullish()
  .transform((e) => (e && (e.state || e.message) ? { state: e.state, message: e.message } : undefined));

const connectSsh = z.object({ sshCommand: text, password: text, isRunning: flag }).nullish();
const connectWebTerminal = z.object({ address: text, username: text, password: text, isRunning: flag }).nullish();
const connectJupyter = z.object({ port: looseNumber, address: text, isRunning: flag }).nullish();

/** `GET /gpu/instance` (full object) and `/gpu/instances` items (fewer fields): one tolerant shape. */
export const instanceSchema = z
  .object({
    id,
    name: z.string().nullish(),
    clusterId: id.nullish(),
    clusterName: text,
    productId: text,
    productName: text,
    imageUrl: text,
    imageAuthId: text,
    command: text,
    entrypoint: text,
    cpuNum: looseNumber,
    memory: looseNumber,
    gpuNum: looseNumber,
    rootfsSize: looseNumber,
    status: z.string().nullish(),
    statusError,
    network: z.object({ id: text, ip: text }).nullish(),
    portMappings: list(portMapping),
    volumeMounts: list(z.object({ type: text, size: looseNumber, id: text, mountPath: text })),
    envs: list(z.object({ key: z.string(), value: z.string().nullish() })),
    connectComponentSSH: connectSsh,
    connectComponentWebTerminal: connectWebTerminal,
    connectComponentJupyter: connectJupyter,
    sshCommand: text,
    sshPassword: text,
    kind: text,
    billingMode: text,
    endTime: z.union([z.string(), z.number()]).nullish(),
    spotStatus: text,
    spotReclaimTime: z.union([z.string(), z.number()]).nullish(),
    createdAt: z.union([z.string(), z.number()]).nullish(),
    autoRenew: flag,
    autoRenewMonth: looseNumber,
  })
  .transform((i) => ({
    id: i.id,
    name: i.name ?? "",
    clusterId: i.clusterId ?? undefined,
    clusterName: i.clusterName,
    productId: i.productId,
    productName: i.productName,
    imageUrl: i.imageUrl,
    imageAuthId: i.imageAuthId,
    command: i.command,
    entrypoint: i.entrypoint,
    cpuCount: i.cpuNum,
    memoryGb: i.memory,
    gpuCount: i.gpuNum,
    rootfsSize: i.rootfsSize ?? i.volumeMounts.find((v) => v.type === "local" && v.mountPath === "/")?.size,
    status: i.status ?? "unknown",
    statusError: i.statusError,
    ip: i.network?.ip,
    portMappings: i.portMappings,
    networkVolumes: i.volumeMounts.filter((v) => v.type === "network").map((v) => ({ id: v.id, mountPath: v.mountPath })),
    envs: i.envs.map((e) => ({ key: e.key, value: e.value ?? "" })),
    // Older answers carried sshCommand/sshPassword at the top level.
    sshCommand: i.connectComponentSSH?.sshCommand ?? i.sshCommand,
    sshPassword: i.connectComponentSSH?.password ?? i.sshPassword,
    sshReady: i.connectComponentSSH?.isRunning,
    webTerminal: i.connectComponentWebTerminal
      ? { address: i.connectComponentWebTerminal.address, username: i.connectComponentWebTerminal.username, password: i.connectComponentWebTerminal.password }
      : undefined,
    jupyterAddress: i.connectComponentJupyter?.address,
    kind: i.kind,
    billingMode: i.billingMode,
    endTime: unixTime(i.endTime),
    spotStatus: i.spotStatus,
    spotReclaimTime: unixTime(i.spotReclaimTime),
    createdAt: unixTime(i.createdAt),
    autoRenew: i.autoRenew,
    autoRenewMonth: i.autoRenewMonth,
  }));
export type NovitaInstance = z.output<typeof instanceSchema>;

/** Unix seconds as a number or string → ISO time; "-1", "0" and "" mean none. */
export function unixTime(v: string | number | null | undefined): string | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) return typeof v === "string" && !/^-?\d+$/.test(v) ? v : undefined;
  return new Date(n * 1000).toISOString();
}

export const instanceListSchema = z.object({
  instances: list(instanceSchema),
  total: looseNumber,
});

export const createReplySchema = z.object({ id: id.nullish(), instanceId: id.nullish() }).transform((r) => ({ id: r.id ?? r.instanceId }));

/** `{}`, `{instanceId, state}` or an empty body: every mutation answer Novita has been seen to send. */
export const mutationReplySchema = z.unknown();

export const productSchema = z
  .object({
    id,
    name: z.string().nullish(),
    cpuPerGpu: looseNumber,
    memoryPerGpu: looseNumber,
    diskPerGpu: looseNumber,
    availableDeploy: flag,
    canBuy: flag,
    minRootFS: looseNumber,
    maxRootFS: looseNumber,
    minLocalStorage: looseNumber,
    maxLocalStorage: looseNumber,
    regions: list(z.string()),
    price: looseNumber,
    spotPrice: looseNumber,
    monthlyPrice: list(z.object({ price: looseNumber, month: looseNumber })),
    billingMethods: list(z.string()),
    inventoryState: text,
  })
  .transform((p) => ({
    id: p.id,
    name: p.name ?? p.id,
    cpuPerGpu: p.cpuPerGpu,
    memoryPerGpuGb: p.memoryPerGpu,
    diskPerGpuGb: p.diskPerGpu,
    availableDeploy: p.availableDeploy ?? true,
    canBuy: p.canBuy,
    minRootfsSize: p.minRootFS,
    maxRootfsSize: p.maxRootFS,
    regions: p.regions,
    pricePerGpuHourUsd: toUsd(p.price),
    spotPricePerGpuHourUsd: toUsd(p.spotPrice),
    monthlyPrices: p.monthlyPrice.filter((m) => m.month !== undefined).map((m) => ({ months: m.month!, priceUsd: toUsd(m.price) })),
    billingMethods: p.billingMethods,
    inventoryState: p.inventoryState?.toLowerCase(),
  }));
export type NovitaProduct = z.output<typeof productSchema>;

export const productListSchema = z.object({ data: list(productSchema) });

export const clusterSchema = z
  .object({
    id,
    name: z.string().nullish(),
    availableGpuType: list(z.string()),
    supportNetworkStorage: flag,
    supportInstanceNetwork: flag,
  })
  .transform((c) => ({
    id: c.id,
    name: c.name ?? c.id,
    availableGpuTypes: c.availableGpuType,
    supportNetworkStorage: c.supportNetworkStorage ?? false,
    supportInstanceNetwork: c.supportInstanceNetwork ?? false,
  }));
export type NovitaCluster = z.output<typeof clusterSchema>;

export const clusterListSchema = z.object({ data: list(clusterSchema) });
