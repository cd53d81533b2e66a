import { z } from "zod";

// Response shapes of the Fluence GPU API (/gpu/…) and the main platform API (/v1/ssh_keys),
// shared/api/fluence.md §5, §7, §10. Unknown fields are dropped; fields the docs mark as
// volatile or nullable are optional here, and every normalization happens here.

const text = z.string().nullish().transform((v) => v ?? undefined);
const num = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === "" ? undefined : Number(v)));
const quantity = z.object({ count: num, units: text }).nullish();

export const gpuModelSchema = z
  .object({ vendor: text, model: z.string(), vram: text, interface: text })
  .transform((g) => ({ vendor: g.vendor, model: g.model, vram: g.vram, interface: g.interface?.toLowerCase() }));
export type FluenceGpuModel = z.output<typeof gpuModelSchema>;

export const planOptionSchema = z
  .object({
    id: z.string(),
    location: text,
    provider: text,
    vcpu: quantity,
    memory: quantity,
    storage: quantity,
    deployment_type: text,
    pricing: z.object({ hour: num, upfront_hours: num, currency: text }).nullish(),
    nvlink: z.boolean().nullish(),
    os_options: z.array(z.string()).nullish(),
  })
  .transform((o) => ({
    id: o.id,
    location: o.location,
    provider: o.provider,
    vcpu: o.vcpu?.count,
    memoryGi: o.memory?.count,
    storageGi: o.storage?.count,
    deploymentType: o.deployment_type,
    pricePerHour: o.pricing?.hour,
    // Documented as 3; the cloud's own figure wins when it sends one.
    upfrontHours: o.pricing?.upfront_hours ?? 3,
    currency: o.pricing?.currency ?? "USDC",
    nvlink: o.nvlink ?? undefined,
    osImages: o.os_options ?? [],
  }));
export type FluencePlanOption = z.output<typeof planOptionSchema>;

const countGroupSchema = z.object({
  gpu_count: num,
  minimum_price: num,
  locations: z.array(z.string()).nullish(),
  providers: z.array(z.string()).nullish(),
  options: z.array(planOptionSchema).nullish(),
});

export const planGroupSchema = z
  .object({ gpu_model: gpuModelSchema, minimum_price: num, availability_by_number: z.array(countGroupSchema).nullish() })
  .transform((g) => ({
    gpuModel: g.gpu_model,
    minimumPrice: g.minimum_price,
    counts: (g.availability_by_number ?? []).map((c) => ({
      gpuCount: c.gpu_count ?? 0,
      minimumPrice: c.minimum_price,
      locations: c.locations ?? [],
      providers: c.providers ?? [],
      options: c.options ?? [],
    })),
  }));
export type FluencePlanGroup = z.output<typeof planGroupSchema>;

// `{data:[…]}` per the docs; a bare array is accepted too (the OpenAPI itself was not available).
export const plansResponse = z.union([
  z.object({ data: z.array(planGroupSchema) }).transform((r) => r.data),
  z.array(planGroupSchema),
]);

export const deployResponse = z
  .union([z.object({ instance_id: z.string() }), z.object({ id: z.string() }).transform((r) => ({ instance_id: r.id }))])
  .transform((r) => r.instance_id);

export const instanceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    resources: z
      .object({
        supply: z.object({ vcpu: quantity, memory: quantity, storage: quantity, gpu_count: num }).partial().nullish(),
        gpu_model: gpuModelSchema.nullish(),
      })
      .nullish(),
    domain: text,
    location: text,
    created_at: text,
    updated_at: text,
    availability: text,
    os_image: text,
    ssh_connection: text,
    billing: z
      .object({ hourly_usage: num, total_spendings: num, reserved_amount: num, next_billing_period: text })
      .partial()
      .nullish(),
    network: z.object({ domain: text }).partial().nullish(),
    ssh_key: text,
  })
  .transform((i) => ({
    id: i.id,
    name: i.name,
    status: i.status.toUpperCase(),
    gpuModel: i.resources?.gpu_model ?? undefined,
    gpuCount: i.resources?.supply?.gpu_count,
    vcpu: i.resources?.supply?.vcpu?.count,
    memoryGi: i.resources?.supply?.memory?.count,
    storageGi: i.resources?.supply?.storage?.count,
    ip: i.domain ?? i.network?.domain ?? undefined,
    location: i.location,
    createdAt: i.created_at,
    kind: i.availability,
    osImage: i.os_image,
    sshConnection: i.ssh_connection,
    sshKey: i.ssh_key,
    billing: i.billing
      ? {
          hourlyUsage: i.billing.hourly_usage,
          totalSpendings: i.billing.total_spendings,
          reservedAmount: i.billing.reserved_amount,
          nextBillingPeriod: i.billing.next_billing_period,
        }
      : undefined,
  }));
export type FluenceInstance = z.output<typeof instanceSchema>;

export const sshKeySchema = z
  .object({
    // The main API has ids; the legacy API identified keys by fingerprint.
    id: z.union([z.string(), z.number()]).transform(String).nullish(),
    name: z.string(),
    publicKey: z.string(),
    algorithm: text,
    fingerprint: text,
  })
  .transform((k) => ({ id: k.id ?? k.fingerprint ?? "", name: k.name, publicKey: k.publicKey, algorithm: k.algorithm, fingerprint: k.fingerprint }));
export type FluenceSshKey = z.output<typeof sshKeySchema>;

export const sshKeyListResponse = z.union([
  z
    .object({ items: z.array(sshKeySchema), pagination: z.object({ totalPages: num, currentPage: num }).partial().nullish() })
    .transform((r) => ({ keys: r.items, totalPages: r.pagination?.totalPages })),
  z.array(sshKeySchema).transform((keys) => ({ keys, totalPages: 1 as number | undefined })),
]);
