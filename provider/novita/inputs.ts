import { z } from "zod";
import { CrossCheck, inputs as commonInputs } from "../core/inputValidation";

// Inputs of novita:GpuVm with the create limits of shared/api/novita.md §6, checked before any request.

export const RESERVED_PORTS = [2222, 2223, 2224];
export const MAX_PORTS_AND_TOOLS = 15;

const port = z
  .number()
  .int()
  .min(1)
  .max(65535)
  .refine((p) => !RESERVED_PORTS.includes(p), "2222, 2223 and 2224 are reserved by Novita");
const portType = z.enum(["tcp", "http"], { message: 'must be "tcp" or "http"' });

export const gpuVmInputs = z.object({
  name: z.string().min(1).max(255),
  productId: z.string().min(1).max(255).optional(),
  productName: z.string().min(1).max(255).optional(),
  gpuCount: z.number().int().min(1, "must be 1 to 8").max(8, "must be 1 to 8"),
  rootfsSize: z.number().int().min(10, "must be 10 to 6144 (GB)").max(6144, "must be 10 to 6144 (GB)"),
  imageUrl: z.string().trim().min(1).max(500),
  imageAuth: z.string().max(10239).regex(/^[^:]+:.*$/s, 'must be "user:password"').optional(),
  imageAuthId: z.string().min(1).optional(),
  ports: z.array(z.object({ port, type: portType })).max(MAX_PORTS_AND_TOOLS).optional(),
  envs: z.array(z.object({ key: z.string().min(1).max(511), value: z.string().max(4095) })).max(100).optional(),
  tools: z.array(z.object({ name: z.literal("Jupyter", { message: 'only "Jupyter" is offered' }), port, type: portType })).optional(),
  command: z.string().max(2047).optional(),
  entrypoint: z.string().max(2047).optional(),
  clusterId: z.string().min(1).optional(),
  networkStorages: z.array(z.object({ id: z.string().min(1), mountPoint: z.string().min(1).max(4095).default("/network") })).max(30).optional(),
  networkId: z.string().min(1).optional(),
  kind: z.enum(["gpu", "cpu"]).default("gpu"),
  billingMode: z.enum(["onDemand", "monthly", "spot"]).default("onDemand"),
  month: z.number().int().min(0).optional(),
  autoRenew: z.boolean().optional(),
  autoRenewMonth: z.number().int().min(1).max(12).optional(),
  minCudaVersion: z.string().regex(/^\d+\.\d+$/, 'must look like "12.4"').optional(),
  createTimeoutSeconds: commonInputs.deadlineSeconds(1800),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
  /** Stop or start the instance in place (provider/novita/powerState.ts); omitted: left as it is. */
  powerState: z.enum(["running", "stopped"], { message: 'must be "running" or "stopped"' }).optional(),
});
export type GpuVmInputs = z.infer<typeof gpuVmInputs>;

export const crossCheckGpuVm: CrossCheck<GpuVmInputs> = (i, known) => {
  const failures: Array<{ property: string; reason: string }> = [];
  if (known("productId") && known("productName")) {
    if (i.productId && i.productName) failures.push({ property: "productName", reason: "set either productId or productName, not both" });
    if (!i.productId && !i.productName) failures.push({ property: "productId", reason: 'set productId (from novita.getProducts()) or productName (e.g. "RTX 4090")' });
  }
  if (known("ports") && known("tools")) {
    const used = [...(i.ports ?? []), ...(i.tools ?? [])];
    if (used.length > MAX_PORTS_AND_TOOLS) failures.push({ property: "ports", reason: `ports and tools together may use at most ${MAX_PORTS_AND_TOOLS} ports; ${used.length} given` });
    const seen = new Set<number>();
    const dup = used.find((p) => (seen.has(p.port) ? true : (seen.add(p.port), false)));
    if (dup) failures.push({ property: "ports", reason: `port ${dup.port} is listed twice` });
  }
  if (known("billingMode") && known("month")) {
    // Novita forces monthly billing when month > 0: declaring both spells it out, so no perpetual diff.
    if ((i.month ?? 0) > 0 && i.billingMode !== "monthly") failures.push({ property: "month", reason: 'month > 0 requires billingMode "monthly"' });
    if (i.billingMode === "monthly" && !(i.month && i.month > 0)) failures.push({ property: "month", reason: 'billingMode "monthly" needs month ≥ 1' });
  }
  if (known("billingMode") && known("autoRenew") && i.autoRenew !== undefined && i.billingMode !== "monthly") {
    failures.push({ property: "autoRenew", reason: 'auto-renewal applies to billingMode "monthly" only' });
  }
  if (known("autoRenew") && known("autoRenewMonth") && i.autoRenewMonth !== undefined && i.autoRenew !== true) {
    failures.push({ property: "autoRenewMonth", reason: "needs autoRenew: true" });
  }
  return failures;
};
