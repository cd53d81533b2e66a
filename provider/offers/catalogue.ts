import { ValidationError } from "../core/errors";
import { ConfigSource, resolveSettings } from "../core/settings";
import { knownGpuNames, normalizeGpu } from "./gpuModels";
import type { NormalizedOffer, OfferQuery } from "./offer";
import { offerClouds, offerSourceFor } from "./offerSources";

export interface OfferFailure {
  cloud: string;
  /** The error class' kind ("auth", "connection", "server", …). */
  kind: string;
  message: string;
}

export interface OfferCatalogue {
  /** Cheapest first; offers without a published price last. */
  offers: NormalizedOffer[];
  /** Clouds that were read but failed: the others' offers are still returned. */
  failures: OfferFailure[];
  /** Clouds not read because no API key is configured. */
  skipped: Array<{ cloud: string; reason: string }>;
}

/**
 * Offers across every configured cloud for one GPU model and count. Prices are compared as
 * given (USD; Fluence's USDC counts as USD). With `maxPricePerHour`, offers without a price are
 * left out: nothing shows they fit.
 */
export async function getOffers(config: ConfigSource | undefined, query: OfferQuery, env: NodeJS.ProcessEnv = process.env): Promise<OfferCatalogue> {
  const gpu = normalizeGpu(query.gpu);
  if (!gpu) {
    throw new ValidationError(`getOffers: unknown GPU "${query.gpu}"; known GPUs: ${knownGpuNames().join(", ")}`, {
      cloud: "multicloud",
      issues: [{ path: "gpu", message: "unknown GPU" }],
    });
  }
  if (!Number.isInteger(query.gpuCount) || query.gpuCount < 1) {
    throw new ValidationError(`getOffers: gpuCount must be a whole number ≥ 1, got ${JSON.stringify(query.gpuCount)}`, { cloud: "multicloud" });
  }
  const unknownClouds = (query.clouds ?? []).filter((c) => !offerClouds.includes(c));
  if (unknownClouds.length) {
    throw new ValidationError(`getOffers: unknown cloud ${unknownClouds.join(", ")}; known: ${offerClouds.join(", ")}`, { cloud: "multicloud" });
  }
  const result: OfferCatalogue = { offers: [], failures: [], skipped: [] };
  await Promise.all(
    (query.clouds ?? offerClouds).map(async (cloud) => {
      const source = offerSourceFor(cloud);
      if (!source.keyless && !resolveSettings(source.spec, config, env).apiKey) {
        result.skipped.push({ cloud, reason: `no API key (${source.spec.name}:apiKey or ${source.spec.envPrefix}_API_KEY)` });
        return;
      }
      try {
        result.offers.push(...(await source.list(config, query)).filter((o) => matches(o, { ...query, gpu })));
      } catch (err) {
        result.failures.push({ cloud, kind: (err as { kind?: string }).kind ?? "unknown", message: (err as Error).message ?? String(err) });
      }
    }),
  );
  const order = (c: string) => offerClouds.indexOf(c);
  result.offers.sort(
    (a, b) => (a.pricePerHour ?? Infinity) - (b.pricePerHour ?? Infinity) || order(a.cloud) - order(b.cloud) || a.location.localeCompare(b.location),
  );
  result.failures.sort((a, b) => order(a.cloud) - order(b.cloud));
  result.skipped.sort((a, b) => order(a.cloud) - order(b.cloud));
  return result;
}

function matches(o: NormalizedOffer, q: OfferQuery): boolean {
  if (o.gpu !== q.gpu || o.gpuCount !== q.gpuCount) return false;
  if (q.maxPricePerHour !== undefined && !(o.pricePerHour !== undefined && o.pricePerHour <= q.maxPricePerHour)) return false;
  return !q.regions?.length || q.regions.some((r) => inRegion(o.location, r));
}

const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** The region's words appear in a row in the location: "us" ⊂ "us-east-2", "KAN-1", "Helsinki" ⊂ "vm03 (Helsinki, FI)". */
export function inRegion(location: string, region: string): boolean {
  const loc = words(location);
  const want = words(region);
  if (want.length === 0) return false;
  return loc.some((_, i) => want.every((w, j) => loc[i + j] === w));
}
