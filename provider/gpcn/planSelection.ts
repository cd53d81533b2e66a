import { CapacityError, ValidationError } from "../core/errors";
import { GpuVmInputs } from "./inputs";
import { GpcnInventory } from "./schemas";

// What a gpcn:GpuVm buys: the GPU series, checked for stock in the datacenter before anything is bought.

/** Finds the series (by code or name, any case) and checks stock before anything is bought. */
export function resolveSeries(inventory: GpcnInventory, want: GpuVmInputs): { seriesId: string; seriesCode?: string } {
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");
  const wanted = key(want.seriesCode ?? want.seriesId ?? "");
  const series = inventory.series.find((s) => key(s.id) === wanted || key(s.code ?? "") === wanted || key(s.name) === wanted);
  if (!series) {
    const known = inventory.series.map((s) => s.code ?? s.name).join(", ") || "none";
    if (inventory.error) throw new CapacityError(`GPCN GPU provider unavailable: ${inventory.error.message ?? inventory.error.code}`, { cloud: "gpcn" });
    throw new ValidationError(`GPCN has no GPU series "${want.seriesCode}" in stock; series with stock: ${known}`, {
      cloud: "gpcn",
      issues: [{ path: "seriesCode", message: "unknown series" }],
    });
  }
  const here = series.availability?.find((a) => a.datacenterId === want.datacenterId);
  const count = here?.gpuCounts.find((g) => g.count === want.gpuCount);
  if (!count) {
    const offers = (series.availability ?? [])
      .map((a) => `${a.datacenterCode ?? a.datacenterName ?? a.datacenterId}: ×${a.gpuCounts.map((g) => g.count).join("/×")}`)
      .join("; ");
    throw new CapacityError(
      `GPCN has no stock of ${series.name} ×${want.gpuCount} in datacenter ${want.datacenterId}; in stock now: ${offers || "nothing"}`,
      { cloud: "gpcn" },
    );
  }
  if (want.skuCode && count.availableSkus && count.availableSkus.length && !count.availableSkus.some((s) => s.skuCode === want.skuCode)) {
    throw new CapacityError(
      `GPCN SKU ${want.skuCode} is not available for ${series.name} ×${want.gpuCount} there; available: ${count.availableSkus.map((s) => s.skuCode).join(", ")}`,
      { cloud: "gpcn" },
    );
  }
  return { seriesId: series.id, seriesCode: series.code ?? undefined };
}
