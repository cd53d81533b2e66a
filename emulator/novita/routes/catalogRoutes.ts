/** GET /clusters, GET /products with the documented filters. */

import type { Router } from "../../core/router";
import { clusters, products, serializeCluster, serializeProduct } from "../catalog";
import { failure, ok } from "../envelope";
import { API_PREFIX } from "./apiPrefix";

export function registerCatalogRoutes(router: Router): void {
  router.get(`${API_PREFIX}/clusters`, () => ok({ data: clusters.map(serializeCluster) }));

  router.get(`${API_PREFIX}/products`, (ctx) => {
    const q = ctx.query;
    const num = (name: string) => (q.get(name) === null || q.get(name) === "" ? undefined : Number(q.get(name)));
    const gpuNum = num("gpuNum");
    if (gpuNum !== undefined && (!Number.isInteger(gpuNum) || gpuNum < 0 || gpuNum > 8)) return failure("VALIDATOR_PARAM", "gpuNum must be in [0, 8]", { field: "gpuNum" });
    const billing = q.get("billingMethod") || undefined;
    if (billing && !["onDemand", "monthly", "spot"].includes(billing)) return failure("VALIDATOR_PARAM", "billingMethod must be onDemand, monthly or spot", { field: "billingMethod" });
    const clusterId = q.get("clusterId") || undefined;
    const name = q.get("productName")?.toLowerCase().replace(/\s+/g, "");
    const minCpu = num("minCpuPerGpu");
    const minMem = num("minMemoryPerGpu");
    const minRootfs = num("minRootFSSize");
    const rows = products.filter(
      (p) =>
        (!clusterId || p.clusters.includes(clusterId)) &&
        (!name || p.name.toLowerCase().replace(/\s+/g, "").includes(name) || p.id.toLowerCase().includes(name)) &&
        (!billing || p.billingMethods.includes(billing as never)) &&
        (minCpu === undefined || p.cpuPerGpu >= minCpu) &&
        (minMem === undefined || p.memoryPerGpu >= minMem) &&
        (minRootfs === undefined || p.maxRootFS >= minRootfs),
    );
    return ok({ data: rows.map(serializeProduct) });
  });
}
