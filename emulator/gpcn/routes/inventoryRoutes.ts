/** GET /resource/gpu/inventory */

import type { Router } from "../../core/router";
import { findDatacenterById } from "../catalog";
import { notFound, ok, validationFailure } from "../envelope";
import { buildInventory, type InventoryFilter } from "../inventory";
import type { GpcnState } from "../state";
import { isUuid } from "../validation";
import { API_PREFIX } from "./apiPrefix";

export function registerInventoryRoutes(router: Router, state: GpcnState): void {
  router.get(`${API_PREFIX}/resource/gpu/inventory`, (ctx) => {
    const filter: InventoryFilter = {};
    const code = ctx.query.get("code");
    if (code) filter.code = code;
    const datacenterId = ctx.query.get("datacenterId");
    if (datacenterId) {
      if (!isUuid(datacenterId)) return validationFailure([{ path: "datacenterId", message: "Datacenter ID must be a valid UUID" }]);
      if (!findDatacenterById(datacenterId)) return notFound("Datacenter");
      filter.datacenterId = datacenterId;
    }
    const count = ctx.query.get("count");
    if (count) {
      if (!["1", "2", "4", "8"].includes(count)) return validationFailure([{ path: "count", message: "Count must be one of 1, 2, 4, 8" }]);
      filter.count = Number(count);
    }
    state.sweep(); // finished deletions return stock
    return ok(buildInventory(state.stock, filter), "GPU inventory retrieved successfully");
  });
}
