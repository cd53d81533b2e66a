import { CapacityError, ValidationError } from "../core/errors";
import { FluenceGpuModel, FluencePlanGroup, FluencePlanOption } from "./schemas";

// Choosing one option (`plan_id`) from Fluence's plans: by id, or the cheapest option that fits
// a selection (shared/api/fluence.md §5: model group → count group → lowest pricing.hour).

export interface ChosenOption {
  option: FluencePlanOption;
  gpuModel: FluenceGpuModel;
  gpuCount: number;
}

export interface PlanSelection {
  gpuModel: string;
  gpuCount: number;
  location?: string;
  maxPricePerHour?: number;
}

const key = (s: string | undefined) => (s ?? "").toLowerCase().replace(/[\s_-]+/g, "");

function* allOptions(groups: FluencePlanGroup[]): Generator<ChosenOption> {
  for (const g of groups) for (const c of g.counts) for (const option of c.options) yield { option, gpuModel: g.gpuModel, gpuCount: c.gpuCount };
}

export function modelMatches(model: FluenceGpuModel, wanted: string): boolean {
  const w = key(wanted);
  return key(model.model) === w || key(`${model.vendor ?? ""}${model.model}`) === w;
}

export function findOption(groups: FluencePlanGroup[], planId: string): ChosenOption | undefined {
  for (const chosen of allOptions(groups)) if (chosen.option.id === planId) return chosen;
  return undefined;
}

/** `h200 ×1 us-central-3 2.96 USDC/h` */
export function describeOption(c: ChosenOption): string {
  const price = c.option.pricePerHour === undefined ? "price unknown" : `${c.option.pricePerHour} ${c.option.currency}/h`;
  return `${c.gpuModel.model} ×${c.gpuCount} ${c.option.location ?? "?"} ${price}`;
}

function offeredSummary(groups: FluencePlanGroup[], limit = 8): string {
  const rows = groups.flatMap((g) =>
    g.counts.map((c) => `${g.gpuModel.model} ×${c.gpuCount} from ${c.minimumPrice ?? "?"}/h in ${[...new Set(c.options.map((o) => o.location))].join("/") || "?"}`),
  );
  return rows.length ? rows.slice(0, limit).join("; ") + (rows.length > limit ? `; … ${rows.length - limit} more` : "") : "nothing";
}

export function optionById(groups: FluencePlanGroup[], planId: string): ChosenOption {
  const found = findOption(groups, planId);
  if (found) return found;
  // Only options that exist are listed: a missing id is an option rented out or withdrawn.
  throw new CapacityError(`Fluence plan option ${planId} is not offered now (plan no longer available); offered now: ${offeredSummary(groups)}`, {
    cloud: "fluence",
  });
}

/** The cheapest option matching the selection; ties go to the lowest id so a re-run picks the same. */
export function cheapestOption(groups: FluencePlanGroup[], want: PlanSelection): ChosenOption {
  const candidates = [...allOptions(groups)].filter(
    (c) =>
      modelMatches(c.gpuModel, want.gpuModel) &&
      c.gpuCount === want.gpuCount &&
      (!want.location || key(c.option.location) === key(want.location)) &&
      c.option.pricePerHour !== undefined &&
      (want.maxPricePerHour === undefined || c.option.pricePerHour <= want.maxPricePerHour),
  );
  candidates.sort((a, b) => a.option.pricePerHour! - b.option.pricePerHour! || a.option.id.localeCompare(b.option.id));
  if (candidates[0]) return candidates[0];
  const where = [want.location && `in ${want.location}`, want.maxPricePerHour !== undefined && `at most ${want.maxPricePerHour}/h`].filter(Boolean).join(" ");
  throw new CapacityError(`Fluence offers no ${want.gpuModel} ×${want.gpuCount} option${where ? ` ${where}` : ""} now; offered now: ${offeredSummary(groups)}`, {
    cloud: "fluence",
  });
}

/** Checked before the deploy, so nothing is sent that Fluence would refuse and the user sees the valid list. */
export function checkOsImage(chosen: ChosenOption, osImage: string): void {
  if (chosen.option.osImages.includes(osImage)) return;
  const valid = chosen.option.osImages.join(", ") || "none listed";
  throw new ValidationError(
    `Fluence: osImage "${osImage}" is not offered by option ${chosen.option.id} (${describeOption(chosen)}, ${chosen.option.provider ?? "?"}); valid: ${valid}`,
    { cloud: "fluence", issues: [{ path: "osImage", message: `must be one of: ${valid}` }] },
  );
}
