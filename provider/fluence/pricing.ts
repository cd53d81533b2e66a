import type { CallContext } from "../core/resourceHandler";
import { knownFields, lookupOncePerProcess, PriceQuote } from "../core/pricing";
import { fluenceClientFor, FluenceKind } from "./client";
import { ChosenOption, cheapestOption, describeOption, findOption } from "./planSelection";

/**
 * A Fluence instance's price from its plans (read once per process and kind). shared/api/fluence.md
 * §5 (doc-old): each option's `pricing.hour` is for the whole option (all its GPUs), in
 * `pricing.currency` (USDC). The option is the declared planId, else the cheapest that fits the
 * selection, as create picks it.
 */
export async function priceOf(ctx: CallContext, inputs: Record<string, unknown>): Promise<PriceQuote | undefined> {
  if (!knownFields(inputs, ["kind", "planId", "gpuModel", "gpuCount", "location", "maxPricePerHour"])) return undefined;
  const kind = (inputs.kind ?? "vm") as FluenceKind;
  const groups = await lookupOncePerProcess(`fluence:${kind}:${ctx.settings.endpoint}`, () => fluenceClientFor(ctx.settings).sharedPlans(kind));
  let chosen: ChosenOption | undefined;
  if (inputs.planId) chosen = findOption(groups, String(inputs.planId));
  else if (inputs.gpuModel && inputs.gpuCount) {
    // Without the cap: an option over it is the guard's refusal (with the price), not "no option".
    const want = { gpuModel: String(inputs.gpuModel), gpuCount: Number(inputs.gpuCount), location: inputs.location as string | undefined };
    try {
      chosen = cheapestOption(groups, want);
    } catch {
      chosen = undefined; // no option fits now: create says so with the list, check shows no price
    }
  }
  if (!chosen || chosen.option.pricePerHour === undefined) return undefined;
  const price = chosen.option.pricePerHour;
  const cheaper = groups
    .flatMap((g) => g.counts.flatMap((c) => c.options.map((option) => ({ option, gpuModel: g.gpuModel, gpuCount: c.gpuCount }))))
    .filter((c) => c.option.pricePerHour !== undefined && c.option.pricePerHour < price)
    .sort((a, b) => a.option.pricePerHour! - b.option.pricePerHour!)
    .map((c) => `${describeOption(c)} (planId ${c.option.id})`);
  return { pricePerHour: price, currency: chosen.option.currency === "USD" ? "USD" : "USDC", priceSource: "cloud", cheaper };
}
