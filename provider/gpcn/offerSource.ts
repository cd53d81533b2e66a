import type { ConfigSource } from "../core/settings";
import { gpuModel, memoryInText, normalizeGpu } from "../offers/gpuModels";
import type { NormalizedOffer, OfferQuery, OfferSource } from "../offers/offer";
import { gpcnCloud } from "./client";
import { getInventory } from "./inventory";

/** GPCN's inventory as offers: one per stocked SKU (the SKU fixes the memory); GPCN publishes no prices. */
export async function listGpcnOffers(config: ConfigSource | undefined, _query: OfferQuery): Promise<NormalizedOffer[]> {
  const rows = await getInventory(config);
  return rows.flatMap((row) => {
    const gpu = normalizeGpu(row.seriesCode) ?? normalizeGpu(row.seriesName);
    if (!gpu) return [];
    const skus: Array<string | undefined> = row.skuCodes.length ? row.skuCodes : [undefined];
    return skus.map((skuCode) => ({
      cloud: "gpcn",
      gpu,
      gpuMemoryGb: memoryInText(skuCode) ?? memoryInText(row.specs?.gpuDescription) ?? gpuModel(gpu)?.memoryGb,
      gpuCount: row.gpuCount,
      location: row.datacenterCode ?? row.datacenterName ?? row.datacenterId,
      inputs: { datacenterId: row.datacenterId, seriesId: row.seriesId, gpuCount: row.gpuCount, ...(skuCode ? { skuCode } : {}) },
    }));
  });
}

export const gpcnOfferSource: OfferSource = {
  cloud: "gpcn",
  spec: gpcnCloud,
  keyless: false,
  list: listGpcnOffers,
  describe: (i) => `${i.seriesCode ?? i.seriesId ?? "?"}×${i.gpuCount ?? "?"}${i.skuCode ? ` (${i.skuCode})` : ""} in datacenter ${i.datacenterId ?? "?"}`,
};
