import type { CallContext } from "../core/resourceHandler";
import { knownFields, lookupOncePerProcess, PriceQuote, showPrice } from "../core/pricing";
import { novaClientFor } from "./client";
import { sameGpuType } from "./gpuTypes";
import { offerPrice, RentalType } from "./offers";
import type { NovaOffer } from "./schemas";

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * A Nova VM's price from the public `GET /search` (read once per process). shared/api/nova.md §11
 * (offers, seen in a client): `gpu_price_hourly` and `interruptible_rate` are USD per GPU-hour, so
 * the machine costs that × gpuCount; the disk's `storage_hourly_rate` is known only once the VM
 * exists (§5, `hourly_rate` then includes it), so it is not in the quote. The node is the declared one, else the cheapest
 * available offer, as create chooses it.
 */
export async function priceOf(ctx: CallContext, inputs: Record<string, unknown>): Promise<PriceQuote | undefined> {
  if (!knownFields(inputs, ["gpuType", "gpuCount", "node", "rentalType"])) return undefined;
  const offers = await lookupOncePerProcess(`nova:${ctx.settings.endpoint}`, () => novaClientFor(ctx.settings).search());
  const rental = (inputs.rentalType ?? "on_demand") as RentalType;
  const gpuCount = Number(inputs.gpuCount);
  const machinePrice = (o: NovaOffer) => round(offerPrice(o, rental) * gpuCount);
  const fits = offers
    .filter((o) => sameGpuType(o.gpuType, String(inputs.gpuType)) && o.gpuCount === gpuCount && o.node && Number.isFinite(offerPrice(o, rental)))
    .filter((o) => (inputs.node ? o.node === inputs.node : o.available))
    .sort((a, b) => machinePrice(a) - machinePrice(b) || a.node!.localeCompare(b.node!));
  if (!fits[0]) return undefined;
  const cheaper = offers
    .filter((o) => o.available && o.node && o.gpuCount === gpuCount && Number.isFinite(offerPrice(o, rental)) && machinePrice(o) < machinePrice(fits[0]))
    .sort((a, b) => machinePrice(a) - machinePrice(b))
    .map((o) => `${o.gpuType} ×${o.gpuCount} on ${o.node} ${showPrice(machinePrice(o), "USD")}`);
  return { pricePerHour: machinePrice(fits[0]), currency: "USD", priceSource: "cloud", cheaper };
}
