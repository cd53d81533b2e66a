import type { CallContext } from "../core/resourceHandler";
import { knownFields, lookupOncePerProcess, PriceQuote, showPrice } from "../core/pricing";
import { novitaClientFor } from "./client";
import { BillingMode, isDeployable, pricePerGpuHour } from "./products";
import type { NovitaProduct } from "./schemas";

const round = (v: number) => Math.round(v * 100_000) / 100_000;

/**
 * A Novita instance's price from `GET /products` (read once per process, unfiltered, so one list
 * serves every GPU count). shared/api/novita.md §1 ("Prices" row, seen in a client): prices are
 * integers of 1/100,000 USD per hour (schemas.ts divides by USD_UNITS); §10 says `price` is
 * "probably per GPU-hour" (inferred), so the machine costs it × gpuCount, as the create outputs
 * `pricePerHourUsd` always did. A productName is matched as Novita's fuzzy search does: the
 * cheapest deployable product whose name contains it.
 */
export async function priceOf(ctx: CallContext, inputs: Record<string, unknown>): Promise<PriceQuote | undefined> {
  if (!knownFields(inputs, ["productId", "productName", "gpuCount", "billingMode", "kind"]) || inputs.kind === "cpu") return undefined;
  const products = await lookupOncePerProcess(`novita:${ctx.settings.endpoint}`, () => novitaClientFor(ctx.settings).products({}));
  const mode = (inputs.billingMode ?? "onDemand") as BillingMode;
  const gpuCount = Number(inputs.gpuCount);
  const machinePrice = (p: NovitaProduct) => {
    const perGpu = pricePerGpuHour(p, mode);
    return perGpu === undefined ? undefined : round(perGpu * gpuCount);
  };
  const wanted = String(inputs.productName ?? "").toLowerCase();
  const matching = products
    .filter((p) => (inputs.productId ? p.id === inputs.productId : p.name.toLowerCase().includes(wanted) && isDeployable(p, mode)))
    .filter((p) => machinePrice(p) !== undefined)
    .sort((a, b) => machinePrice(a)! - machinePrice(b)!);
  const chosen = matching[0];
  if (!chosen) return undefined;
  const cheaper = products
    .filter((p) => isDeployable(p, mode) && (machinePrice(p) ?? Infinity) < machinePrice(chosen)!)
    .sort((a, b) => machinePrice(a)! - machinePrice(b)!)
    .map((p) => `${p.name} ×${gpuCount} (productId ${p.id}) ${showPrice(machinePrice(p)!, "USD")}`);
  return { pricePerHour: machinePrice(chosen), currency: "USD", priceSource: "cloud", cheaper };
}
