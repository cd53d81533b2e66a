import { z } from "zod";

// Nova response shapes (shared/api/nova.md). Only create/get VM and SSH-key upload/get are
// documented; everything else is parsed tolerantly: ids may be numbers, fields may be missing or
// null, lists may come bare or wrapped, and unknown fields are dropped. Handlers see one shape.

const id = z.union([z.string(), z.number()]).transform(String);
const text = z.string().nullish().transform((v) => v ?? undefined);
const num = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === "" || !Number.isFinite(Number(v)) ? undefined : Number(v)));

/** The nine documented statuses; anything else is kept as sent and treated as "in progress". */
export const NOVA_STATUSES = ["creating", "starting", "running", "stopping", "stopped", "interrupted", "destroyed", "failed", "offline"] as const;

export const vmSchema = z
  .object({
    id,
    vmid: num,
    node: text,
    instance_label: text,
    gpu_type: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? undefined : String(v))),
    gpu_count: num,
    storage_gb: num,
    ram_gb: num,
    cpu_cores: num,
    ip_address: text,
    status: z.string().nullish().transform((v) => (v ?? "unknown").toLowerCase()),
    created_at: text,
    started_at: text,
    rental_type: text,
    reservation_id: id.nullish().transform((v) => v ?? undefined),
    auto_restart: z.boolean().nullish().transform((v) => v ?? undefined),
    hourly_rate: num,
    gpu_hourly_rate: num,
    storage_hourly_rate: num,
    ssh_key_id: id.nullish().transform((v) => v ?? undefined), // not documented on the VM; used when present
    template_vmid: num, // idem
  })
  .transform((v) => ({
    id: v.id,
    vmid: v.vmid,
    node: v.node,
    label: v.instance_label,
    gpuType: v.gpu_type,
    gpuCount: v.gpu_count,
    storageGb: v.storage_gb,
    ramGb: v.ram_gb,
    cpuCores: v.cpu_cores,
    ip: v.ip_address,
    status: v.status,
    createdAt: v.created_at,
    startedAt: v.started_at,
    rentalType: v.rental_type,
    reservationId: v.reservation_id,
    autoRestart: v.auto_restart,
    hourlyRate: v.hourly_rate,
    gpuHourlyRate: v.gpu_hourly_rate,
    storageHourlyRate: v.storage_hourly_rate,
    sshKeyId: v.ssh_key_id,
    templateVmid: v.template_vmid,
  }));
export type NovaVm = z.output<typeof vmSchema>;

/**
 * A list: documented as a bare array (nova.md §2); an envelope such as `{items|vms|data|results|
 * ssh_keys: [...]}` is accepted too, since the list routes themselves are inferred.
 */
export function listOf<T extends z.ZodType>(item: T) {
  const wrapped = z
    .object({ items: z.array(item).optional(), vms: z.array(item).optional(), data: z.array(item).optional(), results: z.array(item).optional(), ssh_keys: z.array(item).optional(), offers: z.array(item).optional() })
    .transform((o) => o.items ?? o.vms ?? o.data ?? o.results ?? o.ssh_keys ?? o.offers ?? []);
  return z.union([z.array(item), wrapped]);
}

export const sshKeySchema = z
  .object({ id, label: text, key_type: text, fingerprint: text, created_at: text })
  .transform((k) => ({ id: k.id, label: k.label, keyType: k.key_type, fingerprint: k.fingerprint, createdAt: k.created_at }));
export type NovaSshKey = z.output<typeof sshKeySchema>;

/**
 * One `/search` offer. Fields a real client reads: gpu_type, gpu_count, gpu_ram_mb,
 * gpu_price_hourly, interruptible_rate, available, location. The node field is inferred, so a few
 * spellings are accepted; an offer without one cannot be bought by auto-selection.
 */
export const offerSchema = z
  .object({
    node: text,
    node_id: z.union([z.string(), z.number()]).nullish(),
    node_name: text,
    hostname: text,
    gpu_type: z.union([z.string(), z.number()]).transform(String),
    gpu_count: num,
    gpu_ram_mb: num,
    gpu_price_hourly: num,
    interruptible_rate: num,
    available: z.boolean().nullish(),
    location: text,
    cpu_cores: num,
    ram_gb: num,
  })
  .transform((o) => ({
    node: o.node ?? (o.node_id !== null && o.node_id !== undefined ? String(o.node_id) : undefined) ?? o.node_name ?? o.hostname,
    gpuType: o.gpu_type,
    gpuCount: o.gpu_count,
    gpuRamMb: o.gpu_ram_mb,
    gpuPriceHourly: o.gpu_price_hourly,
    interruptibleRate: o.interruptible_rate,
    // An offer that does not say is listed because it is available.
    available: o.available ?? true,
    location: o.location,
    cpuCores: o.cpu_cores,
    ramGb: o.ram_gb,
  }));
export type NovaOffer = z.output<typeof offerSchema>;

/** `{gpus: {"<gpu_type>": USD per GPU-hour}, …}`; other keys are kept as they come. */
export const pricingSchema = z
  .object({ gpus: z.record(z.string(), z.union([z.number(), z.string()]).transform(Number)).default({}) })
  .passthrough();
export type NovaPricing = z.output<typeof pricingSchema>;
