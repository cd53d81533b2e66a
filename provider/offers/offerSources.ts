import type { OfferSource } from "./offer";

// Every cloud getOffers reads and multicloud:GpuVm can fall back to. A fifth cloud adds a row
// (and its `provider/<cloud>/offerSource.ts`); sources load on first use.
const sources: Record<string, () => OfferSource> = {
  gpcn: () => require("../gpcn/offerSource").gpcnOfferSource,
  nova: () => require("../nova/offerSource").novaOfferSource,
  novita: () => require("../novita/offerSource").novitaOfferSource,
  fluence: () => require("../fluence/offerSource").fluenceOfferSource,
};

export const offerClouds = Object.keys(sources);

export function offerSourceFor(cloud: string): OfferSource {
  const load = sources[cloud];
  if (!load) throw new Error(`pulumi-gpucloud: no offer source for cloud "${cloud}"; known: ${offerClouds.join(", ")}`);
  return load();
}
