import type { ConfigSource } from "../core/settings";
import { gpuModel, normalizeGpu } from "../offers/gpuModels";
import type { NormalizedOffer, OfferQuery, OfferSource } from "../offers/offer";
import { novaCloud } from "./client";
import { getOffers, getPricing } from "./offers";

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** Nova's free /search offers that name a node (only those can be bought as given), priced per VM-hour. */
export async function listNovaOffers(config: ConfigSource | undefined, _query: OfferQuery): Promise<NormalizedOffer[]> {
  // /pricing only fills in an offer without its own price: best effort.
  const [offers, pricing] = await Promise.all([getOffers(config), getPricing(config).catch(() => undefined)]);
  return offers.flatMap((o) => {
    const gpu = normalizeGpu(o.gpuType);
    if (!gpu || !o.available || !o.node || !o.gpuCount) return [];
    const perGpu = o.gpuPriceHourly ?? pricing?.gpus[o.gpuType];
    return [
      {
        cloud: "nova",
        gpu,
        gpuMemoryGb: o.gpuRamMb ? Math.round(o.gpuRamMb / 1024) : gpuModel(gpu)?.memoryGb,
        gpuCount: o.gpuCount,
        location: o.location ? `${o.node} (${o.location})` : o.node,
        ...(perGpu !== undefined && Number.isFinite(perGpu) ? { pricePerHour: round(perGpu * o.gpuCount), currency: "USD" } : {}),
        inputs: { gpuType: o.gpuType, gpuCount: o.gpuCount, node: o.node },
      },
    ];
  });
}

export const novaOfferSource: OfferSource = {
  cloud: "nova",
  spec: novaCloud,
  keyless: true,
  list: listNovaOffers,
  describe: (i) => `${i.gpuType ?? "?"}×${i.gpuCount ?? "?"} on ${i.node ?? "the cheapest node"}`,
};
