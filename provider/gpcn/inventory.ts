import { resolveSettings, ConfigSource } from "../core/settings";
import { gpcnClientFor, gpcnCloud } from "./client";

export interface GpcnOffer {
  seriesId: string;
  seriesName: string;
  seriesCode?: string;
  datacenterId: string;
  datacenterName?: string;
  datacenterCode?: string;
  gpuCount: number;
  specs?: { gpuDescription?: string; vcpu?: number; memoryGiB?: number; storageGb?: number };
  skuCodes: string[];
}

/** GPCN's stock right now, one row per (series, datacenter, GPU count); never cached. */
export async function getInventory(config?: ConfigSource): Promise<GpcnOffer[]> {
  const client = gpcnClientFor(resolveSettings(gpcnCloud, config));
  const inv = await client.inventory();
  const offers: GpcnOffer[] = [];
  for (const s of inv.series) {
    for (const a of s.availability ?? []) {
      for (const g of a.gpuCounts) {
        offers.push({
          seriesId: s.id,
          seriesName: s.name,
          seriesCode: s.code ?? undefined,
          datacenterId: a.datacenterId,
          datacenterName: a.datacenterName ?? undefined,
          datacenterCode: a.datacenterCode ?? undefined,
          gpuCount: Number(g.count),
          specs: g.specs,
          skuCodes: (g.availableSkus ?? []).map((k) => k.skuCode),
        });
      }
    }
  }
  return offers;
}
