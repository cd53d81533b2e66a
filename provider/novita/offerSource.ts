import type { ConfigSource } from "../core/settings";
import { gpuModel, memoryInText, normalizeGpu } from "../offers/gpuModels";
import type { NormalizedOffer, OfferQuery, OfferSource } from "../offers/offer";
import { novitaCloud } from "./client";
import { getClusters, getProducts, isDeployable, pricePerGpuHour } from "./products";

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** Novita's products deployable on demand with this GPU count, one offer per cluster they run in. */
export async function listNovitaOffers(config: ConfigSource | undefined, query: OfferQuery): Promise<NormalizedOffer[]> {
  // Products name clusters by display name; /clusters gives the ids create takes (best effort).
  const [products, clusters] = await Promise.all([getProducts(config, { gpuNum: query.gpuCount }), getClusters(config).catch(() => [])]);
  return products.flatMap((p) => {
    const gpu = normalizeGpu(p.name);
    if (!gpu || !isDeployable(p, "onDemand")) return [];
    const perGpu = pricePerGpuHour(p, "onDemand");
    const common = {
      cloud: "novita",
      gpu,
      gpuMemoryGb: memoryInText(p.name) ?? gpuModel(gpu)?.memoryGb,
      gpuCount: query.gpuCount,
      ...(perGpu !== undefined ? { pricePerHour: round(perGpu * query.gpuCount), currency: "USD" } : {}),
    };
    if (p.regions.length === 0) return [{ ...common, location: "any cluster", inputs: { productId: p.id, gpuCount: query.gpuCount } }];
    return p.regions.map((region) => {
      const cluster = clusters.find((c) => c.name === region || c.id === region);
      return {
        ...common,
        location: region,
        inputs: { productId: p.id, gpuCount: query.gpuCount, ...(cluster ? { clusterId: cluster.id } : {}) },
      };
    });
  });
}

export const novitaOfferSource: OfferSource = {
  cloud: "novita",
  spec: novitaCloud,
  keyless: false,
  list: listNovitaOffers,
  describe: (i) => `${i.productId ?? i.productName ?? "?"}×${i.gpuCount ?? "?"} in ${i.clusterId ?? "any cluster"}`,
};
