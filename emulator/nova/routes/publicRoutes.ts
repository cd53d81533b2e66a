/** GET /search and GET /pricing: public, no key (documented; shapes as a real client reads them). */

import type { Router } from "../../core/router";
import { listPrices, nodes, reservedDiscountPercent, STORAGE_PER_GB_HOUR } from "../catalog";
import type { NovaState } from "../state";

/** One offer per node and GPU count the node can hold; `available` says whether it is free now. */
export function currentOffers(state: NovaState) {
  return nodes.flatMap((node) => {
    const free = state.freeGpus(node);
    return [1, 2, 4, 8]
      .filter((count) => count <= node.gpus)
      .map((count) => ({
        node: node.id,
        gpu_type: node.gpuType,
        gpu_count: count,
        gpu_ram_mb: node.gpuRamMb,
        gpu_price_hourly: node.pricePerGpuHour,
        interruptible_rate: node.interruptibleRate,
        available: free >= count,
        location: node.location,
        cpu_cores: Math.floor((node.cpuCores / node.gpus) * count),
        ram_gb: Math.floor((node.ramGb / node.gpus) * count),
      }));
  });
}

export function registerPublicRoutes(router: Router, state: NovaState): void {
  router.get("/search", (ctx) => {
    // Filters are undocumented; these two are accepted so a filtering client also works.
    const type = ctx.query.get("gpu_type");
    const count = ctx.query.get("gpu_count");
    const offers = currentOffers(state).filter((o) => (!type || o.gpu_type === type) && (!count || o.gpu_count === Number(count)));
    return { status: 200, body: offers };
  });

  router.get("/pricing", () => ({
    status: 200,
    body: {
      gpus: { ...listPrices },
      storage_per_gb_hourly: STORAGE_PER_GB_HOUR,
      interruptible_max_discount_percent: 80,
      reserved_discount_percent: Object.fromEntries(Object.entries(reservedDiscountPercent).map(([m, d]) => [`${m}_months`, d])),
      egress_per_tb: 2,
      currency: "USD",
    },
  }));
}
