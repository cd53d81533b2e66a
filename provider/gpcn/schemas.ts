import { z } from "zod";

// Response shapes of both API generations (shared/api/gpcn.md §0): unknown fields are dropped,
// ids are opaque strings, and every normalization happens here so handlers see one shape.

const id = z.union([z.string(), z.number()]).transform(String);
const text = z.string().nullish();
const num = z.union([z.number(), z.string()]).nullish().transform((v) => (v === null || v === undefined || v === "" ? undefined : Number(v)));

export const envelope = <T extends z.ZodType>(data: T) =>
  z.object({
    success: z.boolean().optional(),
    message: text,
    data,
    meta: z
      .object({ total: num, page: num, pageSize: num, totalPages: num, hasNextPage: z.boolean().nullish() })
      .nullish(),
  });

export const jobSchema = z
  .object({
    jobId: id.nullish(),
    id: id.nullish(),
    stage: text,
    status: text,
    operation: text,
    progressPercentage: num,
    progress: num,
    message: text,
    errorMessage: text,
    error: z.unknown().optional(),
    estimatedCompletion: text,
    timeRemaining: z.unknown().optional(),
    isCompleted: z.boolean().nullish(),
    hasFailed: z.boolean().nullish(),
    isTerminal: z.boolean().nullish(),
    resourceId: id.nullish(),
    resourceName: text,
  })
  .transform((j) => {
    const stage = (j.stage ?? j.status ?? "").toLowerCase();
    const isCompleted = j.isCompleted ?? stage === "completed";
    const hasFailed = j.hasFailed ?? stage === "failed";
    const oldError = typeof j.error === "string" ? j.error : undefined;
    return {
      jobId: j.jobId ?? j.id ?? "",
      stage: stage || "unknown",
      operation: j.operation ?? undefined,
      percent: j.progressPercentage ?? j.progress,
      message: j.message ?? undefined,
      errorMessage: j.errorMessage ?? oldError ?? undefined,
      estimatedCompletion: j.estimatedCompletion ?? undefined,
      timeRemainingSec: typeof j.timeRemaining === "number" ? j.timeRemaining : undefined,
      isCompleted,
      hasFailed,
      isTerminal: j.isTerminal ?? (isCompleted || hasFailed || stage === "cancelled"),
      resourceId: j.resourceId ?? undefined,
      resourceName: j.resourceName ?? undefined,
    };
  });
export type GpcnJob = z.output<typeof jobSchema>;

export const vmSchema = z
  .object({
    id,
    name: z.string(),
    status: z.string().nullish(),
    createdAt: text,
    deletedAt: text,
    configuration: z
      .object({
        name: text,
        code: text,
        gpuCount: num,
        cpu: num,
        ram: num,
        disk: num,
        skuId: id.nullish(),
        skuCode: text,
      })
      .nullish(),
    series: z.object({ id: id.nullish(), name: text, code: text }).nullish(),
    gpuCount: num,
    ip: text,
    publicIp: text,
    jupyterUrl: text,
    jupyterLabUrl: text,
    username: text,
    datacenter: z.object({ id: id.nullish(), name: text, region: text, country: text, countryAbbr: text }).nullish(),
    resourceGroupId: id.nullish(),
    resourceGroupName: text,
    teamId: id.nullish(),
    image: text,
    sshKeyId: id.nullish(),
    sshKeyName: text,
  })
  .transform((v) => ({
    id: v.id,
    name: v.name,
    status: v.status ?? "unknown",
    createdAt: v.createdAt ?? undefined,
    deleted: !!v.deletedAt,
    seriesName: v.configuration?.name ?? v.series?.name ?? undefined,
    seriesCode: v.configuration?.code ?? v.series?.code ?? undefined,
    gpuCount: v.configuration?.gpuCount ?? v.gpuCount,
    cpu: v.configuration?.cpu,
    ramGiB: v.configuration?.ram,
    diskGb: v.configuration?.disk,
    skuCode: v.configuration?.skuCode ?? undefined,
    ip: v.ip ?? v.publicIp ?? undefined,
    jupyterUrl: v.jupyterUrl ?? v.jupyterLabUrl ?? undefined,
    username: v.username ?? undefined,
    datacenter: v.datacenter
      ? { id: v.datacenter.id ?? undefined, name: v.datacenter.name ?? undefined, region: v.datacenter.region ?? undefined, country: v.datacenter.country ?? v.datacenter.countryAbbr ?? undefined }
      : undefined,
    resourceGroupId: v.resourceGroupId ?? v.teamId ?? undefined,
    resourceGroupName: v.resourceGroupName ?? undefined,
    image: v.image ?? undefined,
    sshKeyId: v.sshKeyId ?? undefined,
    sshKeyName: v.sshKeyName ?? undefined,
  }));
export type GpcnVm = z.output<typeof vmSchema>;

// Create answers `data.jobs[]` now; older answers carried `data.jobId` or the job itself.
export const createVmData = z.union([
  z.object({ jobs: z.array(jobSchema).min(1) }).transform((d) => d.jobs[0]),
  jobSchema,
]);

// DELETE answers one job in `data` (or a list of one).
export const deleteVmData = z.union([z.object({ jobs: z.array(jobSchema).min(1) }).transform((d) => d.jobs[0]), jobSchema]).nullish();

export const jobsData = z.object({ jobs: z.array(jobSchema) });

const skuSchema = z.object({ skuCode: z.string(), description: text, specs: z.unknown().optional() });
const specsSchema = z
  .object({ gpuDescription: text, vcpu: num, memoryGiB: num, storageGB: num })
  .nullish()
  .transform((s) => (s ? { gpuDescription: s.gpuDescription ?? undefined, vcpu: s.vcpu, memoryGiB: s.memoryGiB, storageGb: s.storageGB } : undefined));

const gpuCountsSchema = z.union([
  z.array(z.object({ count: num, specs: specsSchema, availableSkus: z.array(skuSchema).nullish() })),
  // Older generation: {"1": {"available": true}}.
  z.record(z.string(), z.object({ available: z.boolean().nullish() }).passthrough()).transform((r) =>
    Object.entries(r)
      .filter(([, v]) => v.available !== false)
      .map(([count]) => ({ count: Number(count), specs: undefined, availableSkus: [] })),
  ),
]);

export const seriesSchema = z.object({
  id,
  name: z.string(),
  code: text,
  description: text,
  availability: z
    .array(
      z.object({
        datacenterId: id,
        datacenterName: text,
        datacenterCode: text,
        gpuCounts: gpuCountsSchema,
      }),
    )
    .nullish(),
});

export const inventoryData = z.union([
  z.object({ series: z.array(seriesSchema), error: z.object({ code: text, message: text }).nullish() }),
  z.array(seriesSchema).transform((series) => ({ series, error: undefined })),
]);
export type GpcnInventory = z.output<typeof inventoryData>;

export const sshKeySchema = z.object({
  id,
  name: z.string(),
  publicKey: text,
  fingerprint: text,
  algorithm: text,
  createdAt: text,
});
export type GpcnSshKey = z.output<typeof sshKeySchema>;

export const createSshKeyData = z.object({ id, privateKey: text, publicKey: text, fingerprint: text });
