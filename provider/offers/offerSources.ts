import { cloudNamed, cloudNames } from "../clouds";
import type { OfferSource } from "./offer";

// Every cloud getOffers reads and multicloud:GpuVm can fall back to: every registered cloud
// (provider/clouds.ts), in its order. Sources load on first use.

export const offerClouds: string[] = cloudNames;

export function offerSourceFor(cloud: string): OfferSource {
  if (!offerClouds.includes(cloud)) throw new Error(`pulumi-gpucloud: no offer source for cloud "${cloud}"; known: ${offerClouds.join(", ")}`);
  return cloudNamed(cloud).offerSource();
}
