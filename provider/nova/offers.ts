import { CapacityError, ValidationError } from "../core/errors";
import { ConfigSource, resolveSettings } from "../core/settings";
import { novaClientFor, novaCloud } from "./client";
import { gpuTypeKey } from "./gpuTypes";
import { NovaOffer, NovaPricing } from "./schemas";

export type { NovaOffer, NovaPricing };

/** Nova's GPU offers now (`GET /search`, no key needed); never cached. */
export async function getOffers(config?: ConfigSource): Promise<NovaOffer[]> {
  return novaClientFor(resolveSettings(novaCloud, config)).search();
}

/** Nova's list prices (`GET /pricing`, no key needed): `gpus` maps GPU type → USD per GPU-hour. */
export async function getPricing(config?: ConfigSource): Promise<NovaPricing> {
  return novaClientFor(resolveSettings(novaCloud, config)).pricing();
}

export type RentalType = "on_demand" | "reserved" | "interruptible";

/** The price the offer is compared on: the interruptible rate for interruptible rentals, when given. */
export function offerPrice(offer: NovaOffer, rentalType: RentalType): number {
  const price = rentalType === "interruptible" ? (offer.interruptibleRate ?? offer.gpuPriceHourly) : offer.gpuPriceHourly;
  return price ?? Number.POSITIVE_INFINITY;
}

const describe = (o: NovaOffer) => `${o.node ?? "?"}: ${o.gpuType} ×${o.gpuCount ?? "?"}${o.available ? "" : " (unavailable)"}`;

/**
 * Node auto-selection (nova.md §11, inferred): among available offers of this GPU type (any
 * spelling) and exactly this GPU count that name a node, the cheapest; ties go to the first node
 * by name, so the choice is reproducible. A GPU type no offer has at all is a validation error;
 * a known type without a free matching offer is a capacity error, raised before anything is bought.
 */
export function pickCheapestOffer(offers: NovaOffer[], want: { gpuType: string; gpuCount: number; rentalType: RentalType }): NovaOffer {
  const ofType = offers.filter((o) => gpuTypeKey(o.gpuType) === gpuTypeKey(want.gpuType));
  if (ofType.length === 0) {
    const known = [...new Set(offers.map((o) => o.gpuType))].sort().join(", ") || "none";
    throw new ValidationError(`Nova has no offers for GPU type "${want.gpuType}"; GPU types in /search now: ${known}`, {
      cloud: "nova",
      issues: [{ path: "gpuType", message: "unknown GPU type" }],
    });
  }
  const matching = ofType
    .filter((o) => o.available && o.gpuCount === want.gpuCount && o.node)
    .sort((a, b) => offerPrice(a, want.rentalType) - offerPrice(b, want.rentalType) || a.node!.localeCompare(b.node!));
  if (matching.length === 0) {
    const withoutNode = ofType.some((o) => o.available && o.gpuCount === want.gpuCount && !o.node);
    const why = withoutNode ? "; the matching offers name no node, so set `node` explicitly" : "";
    throw new CapacityError(
      `Nova has no available offer of ${want.gpuType} ×${want.gpuCount}${why}; ${ofType.length} offer(s) of that type: ${ofType.map(describe).join("; ")}`,
      { cloud: "nova" },
    );
  }
  return matching[0];
}
