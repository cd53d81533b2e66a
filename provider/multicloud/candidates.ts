import type { ConfigSource } from "../core/settings";
import { getOffers } from "../offers/catalogue";
import type { NormalizedOffer } from "../offers/offer";
import { offerClouds, offerSourceFor } from "../offers/offerSources";
import type { CapacityPolicy, MulticloudInputs } from "./inputs";

/** One offer create may try, in the order it is tried. */
export interface Candidate {
  cloud: string;
  /** The cloud's GpuVm inputs for it, except name and deadlines. */
  inputs: Record<string, unknown>;
  source: "offers" | "policy";
  /** "RTX 5090×8 in vm03 (Helsinki, FI)" */
  description: string;
  pricePerHour?: number;
  currency?: string;
}

export interface CandidateList {
  candidates: Candidate[];
  /** Why the policy found fewer offers than it might have (clouds that failed or were skipped). */
  notes: string[];
}

/** The listed offers in their order, then the policy's offers cheapest first. */
export async function candidatesFor(config: ConfigSource | undefined, inputs: MulticloudInputs): Promise<CandidateList> {
  const listed: Candidate[] = (inputs.offers ?? []).map((o) => ({
    cloud: o.cloud,
    inputs: o.inputs,
    source: "offers",
    description: offerSourceFor(o.cloud).describe(o.inputs),
  }));
  if (!inputs.policy) return { candidates: listed, notes: [] };
  const policy = inputs.policy;
  const extras = policy.extras ?? {};
  const clouds = policyClouds(policy);
  // The tighter of the policy's cap and the resource's budget guard; offers are cheapest first.
  const caps = [policy.maxPricePerHour, inputs.maxPricePerHour].filter((c): c is number => c !== undefined);
  const maxPricePerHour = caps.length ? Math.min(...caps) : undefined;
  const found = await getOffers(config, { gpu: policy.gpu, gpuCount: policy.gpuCount, maxPricePerHour, regions: policy.regions, clouds });
  const notes = [
    ...found.failures.map((f) => `could not read ${f.cloud} offers: ${f.message}`),
    ...found.skipped.map((s) => `${s.cloud} skipped: ${s.reason}`),
  ];
  const fromPolicy = found.offers.filter((o) => fitsExtras(o, extras[o.cloud] ?? {})).map((o) => candidateOf(o, extras[o.cloud] ?? {}));
  return { candidates: [...listed, ...fromPolicy], notes };
}

/** The clouds a policy reads offers from: only those the user can fill a VM for, i.e. those named, else those with extras; undefined: all. */
export function policyClouds(policy: CapacityPolicy): string[] | undefined {
  const extras = policy.extras ?? {};
  return policy.clouds ?? (Object.keys(extras).length ? Object.keys(extras).filter((c) => offerClouds.includes(c)) : undefined);
}

/** An offer that cannot run the image the user asked for would fail validation, not capacity. */
function fitsExtras(o: NormalizedOffer, extra: Record<string, unknown>): boolean {
  return !o.osImages || typeof extra.osImage !== "string" || o.osImages.includes(extra.osImage);
}

function candidateOf(o: NormalizedOffer, extra: Record<string, unknown>): Candidate {
  return {
    cloud: o.cloud,
    inputs: { ...extra, ...o.inputs },
    source: "policy",
    description: `${o.gpu}×${o.gpuCount} in ${o.location}`,
    ...(o.pricePerHour !== undefined ? { pricePerHour: o.pricePerHour, currency: o.currency } : {}),
  };
}
