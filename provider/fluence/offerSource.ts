import type { ConfigSource } from "../core/settings";
import { gpuModel, memoryInText, normalizeGpu } from "../offers/gpuModels";
import type { NormalizedOffer, OfferQuery, OfferSource } from "../offers/offer";
import { fluenceCloud } from "./client";
import { getPlans } from "./plans";

/** Fluence's VM plan options: each is one offer (provider + location), priced for all its GPUs. */
export async function listFluenceOffers(config: ConfigSource | undefined, _query: OfferQuery): Promise<NormalizedOffer[]> {
  const groups = await getPlans(config, { kind: "vm" });
  return groups.flatMap((g) => {
    const gpu = normalizeGpu(g.gpuModel.model);
    if (!gpu) return [];
    return g.counts.flatMap((c) =>
      c.options.map((o) => ({
        cloud: "fluence",
        gpu,
        gpuMemoryGb: memoryInText(g.gpuModel.vram) ?? gpuModel(gpu)?.memoryGb,
        gpuCount: c.gpuCount,
        location: o.location ?? o.provider ?? "?",
        ...(o.pricePerHour !== undefined ? { pricePerHour: o.pricePerHour, currency: o.currency } : {}),
        osImages: o.osImages,
        inputs: { planId: o.id },
      })),
    );
  });
}

export const fluenceOfferSource: OfferSource = {
  cloud: "fluence",
  spec: fluenceCloud,
  keyless: false,
  list: listFluenceOffers,
  describe: (i) => (i.planId ? `plan ${i.planId}` : `${i.gpuModel ?? "?"}×${i.gpuCount ?? "?"}${i.location ? ` in ${i.location}` : ""}`),
};
