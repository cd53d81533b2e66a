import { classifyGpcnError } from "../../provider/gpcn/client";
import { errorFromResponse } from "../../provider/core/errors";
import { resolveSeries } from "../../provider/gpcn/planSelection";
import { jobObservation } from "../../provider/gpcn/observations";
import { createVmData, envelope, inventoryData, jobSchema, vmSchema } from "../../provider/gpcn/schemas";

describe("GPCN response schemas accept both API generations", () => {
  test("create answer: data.jobs[], data.jobId, or the job itself", () => {
    const job = { jobId: "j1", stage: "initializing", progressPercentage: 0, isCompleted: false, hasFailed: false, resourceId: "vm1" };
    expect(envelope(createVmData).parse({ success: true, data: { jobs: [job] } }).data).toMatchObject({ jobId: "j1", resourceId: "vm1" });
    expect(envelope(createVmData).parse({ success: true, data: { jobId: 42 } }).data).toMatchObject({ jobId: "42" });
  });

  test("old job shape {id,status,progress,error} maps to the new fields", () => {
    expect(jobSchema.parse({ id: 7, status: "failed", progress: 30, error: "Quota exceeded" })).toMatchObject({
      jobId: "7",
      stage: "failed",
      percent: 30,
      hasFailed: true,
      errorMessage: "Quota exceeded",
    });
  });

  test("VM: configuration{} or series{}, ip or publicIp, resourceGroupId or teamId; unknown fields ignored", () => {
    const vm = vmSchema.parse({ id: 3, name: "a", status: "Running", publicIp: "1.2.3.4", series: { name: "A100" }, gpuCount: 2, teamId: 9, extra: { x: 1 } });
    expect(vm).toMatchObject({ id: "3", ip: "1.2.3.4", seriesName: "A100", gpuCount: 2, resourceGroupId: "9" });
  });

  test("inventory: new gpuCounts list and the older {\"1\": {available}} map", () => {
    const inv = inventoryData.parse({
      series: [
        { id: "s1", name: "H100", code: "h100_series", availability: [{ datacenterId: "d1", gpuCounts: [{ count: 1, specs: { vcpu: 28 }, availableSkus: [{ skuCode: "h100-1x" }] }] }] },
        { id: 3, name: "A100", availability: [{ datacenterId: 5, gpuCounts: { "1": { available: true }, "2": { available: false } } }] },
      ],
    });
    expect(inv.series[1].availability?.[0].gpuCounts).toEqual([{ count: 1, specs: undefined, availableSkus: [] }]);
  });
});

describe("GPCN job classification", () => {
  const base = { jobId: "j", stage: "provisioning", isCompleted: false, hasFailed: false };
  test("done, failed (incl. terminal-but-not-completed and cancelled), in progress with ETA", () => {
    expect(jobObservation(jobSchema.parse({ ...base, isCompleted: true, stage: "completed" }), 0).state).toBe("success");
    expect(jobObservation(jobSchema.parse({ ...base, hasFailed: true, errorMessage: "Quota exceeded" }), 0)).toMatchObject({ state: "failure", message: "Quota exceeded" });
    expect(jobObservation(jobSchema.parse({ ...base, isTerminal: true, errorMessage: "Image not available" }), 0)).toMatchObject({ state: "failure", message: "Image not available" });
    expect(jobObservation(jobSchema.parse({ ...base, stage: "cancelled" }), 0).state).toBe("failure");
    const eta = "2026-05-19T14:05:02Z";
    expect(jobObservation(jobSchema.parse({ ...base, progressPercentage: 40, estimatedCompletion: eta }), 0)).toMatchObject({ state: "retry", label: "provisioning 40%", etaAt: Date.parse(eta) });
    expect(jobObservation(jobSchema.parse({ ...base, timeRemaining: 30 }), 1000).etaAt).toBe(31_000);
  });
});

describe("GPCN errors", () => {
  const err = (status: number, body: unknown) => errorFromResponse({ cloud: "gpcn", label: "GPCN", status, method: "POST", path: "/resource/gpu", body }, classifyGpcnError);

  test("409 inventory depleted and 503 provider unavailable are capacity errors with the cloud's words", () => {
    const e = err(409, { success: false, message: "Inventory depleted - The chosen GPU configuration is no longer available at this location." });
    expect(e.kind).toBe("capacity");
    expect(e.message).toContain("Inventory depleted");
    expect(err(503, { success: false, message: "GPU provider not available" }).kind).toBe("capacity");
  });

  test("422 keeps per-field issues; 403 GPU not enabled is a permission error", () => {
    const e = err(422, { success: false, message: "Invalid Parameters: name: Name is required", error: { code: "Validation Error", statusCode: 422, details: { issues: [{ path: "name", message: "Name is required" }] } } });
    expect(e.kind).toBe("validation");
    expect(e.issues).toEqual([{ path: "name", message: "Name is required" }]);
    expect(err(403, { message: "GPU feature not enabled for this entity" }).kind).toBe("permission");
  });
});

describe("series resolution before anything is bought", () => {
  const inventory = inventoryData.parse({
    series: [{ id: "s-h100", name: "NVIDIA H100 Series", code: "h100_series", availability: [{ datacenterId: "dc-1", datacenterCode: "KAN-1", gpuCounts: [{ count: 1, availableSkus: [{ skuCode: "h100-1x" }] }, { count: 2 }] }] }],
  });
  const want = { name: "t", datacenterId: "dc-1", gpuCount: 1 as const, sshKeyId: "k", imageName: "ubuntu-24.04" as const, createTimeoutSeconds: 60, deleteTimeoutSeconds: 60 };

  test("by code or by name, any case and separators", () => {
    expect(resolveSeries(inventory, { ...want, seriesCode: "H100_SERIES" }).seriesId).toBe("s-h100");
    expect(resolveSeries(inventory, { ...want, seriesCode: "nvidia-h100-series" }).seriesId).toBe("s-h100");
  });

  test("no stock for the count: a capacity error listing what is in stock", () => {
    expect(() => resolveSeries(inventory, { ...want, seriesCode: "h100_series", gpuCount: 8 })).toThrow(/no stock of NVIDIA H100 Series ×8.*KAN-1: ×1\/×2/);
  });

  test("unknown series: a validation error listing the series in stock", () => {
    expect(() => resolveSeries(inventory, { ...want, seriesCode: "b200" })).toThrow(/no GPU series "b200".*h100_series/);
  });
});
