/**
 * `GET /resource/gpu/inventory` data (API doc §10): only locations and GPU counts with stock
 * appear; `specs` is the SKU that would be auto-picked (the cheapest) and `availableSkus` lists
 * the stocked SKUs cheapest first. No prices are exposed.
 */

import { datacenters, gpuSeries, skusAt, type Sku } from "./catalog";
import type { StockLedger } from "./stock";

export interface InventoryFilter {
  code?: string;
  datacenterId?: string;
  count?: number;
}

const COUNTS = [1, 2, 4, 8];

/** Stocked SKUs of a series/count at a data center, cheapest first. */
export function stockedSkus(stock: StockLedger, seriesId: string, gpuCount: number, datacenterCode: string): Sku[] {
  const series = gpuSeries.find((s) => s.id === seriesId);
  if (!series) return [];
  return skusAt(series, gpuCount, datacenterCode).filter((sku) => stock.available(sku.skuCode, datacenterCode) > 0);
}

export function buildInventory(stock: StockLedger, filter: InventoryFilter) {
  const skuView = (sku: Sku) => ({ skuCode: sku.skuCode, description: sku.description, specs: sku.specs });
  return {
    series: gpuSeries
      .filter((s) => filter.code === undefined || s.code.toLowerCase() === filter.code.toLowerCase())
      .map((series) => ({
        id: series.id,
        name: series.name,
        code: series.code,
        description: series.description,
        availability: datacenters
          .filter((dc) => filter.datacenterId === undefined || dc.id === filter.datacenterId)
          .map((dc) => ({
            datacenterId: dc.id,
            datacenterName: dc.name,
            datacenterCode: dc.code,
            gpuCounts: COUNTS.filter((n) => filter.count === undefined || n === filter.count)
              .map((count) => ({ count, skus: stockedSkus(stock, series.id, count, dc.code) }))
              .filter((entry) => entry.skus.length > 0)
              .map(({ count, skus }) => ({ count, specs: skus[0].specs, availableSkus: skus.map(skuView) })),
          }))
          .filter((location) => location.gpuCounts.length > 0),
      })),
  };
}
