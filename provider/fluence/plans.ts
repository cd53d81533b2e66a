import { ConfigSource, resolveSettings } from "../core/settings";
import { fluenceClientFor, fluenceCloud, FluenceKind } from "./client";
import { FluencePlanGroup } from "./schemas";

export type { FluencePlanGroup, FluencePlanOption, FluenceGpuModel } from "./schemas";

/**
 * Fluence's VM (or bare-metal) offers now: groups by GPU model and count, with options, prices and
 * OS images; never cached (calls at the same moment share one read).
 */
export async function getPlans(config: ConfigSource | undefined, args: { kind?: FluenceKind } = {}): Promise<FluencePlanGroup[]> {
  const kind = args.kind ?? "vm";
  if (kind !== "vm" && kind !== "baremetal") throw new Error(`fluence.getPlans: kind must be "vm" or "baremetal", got ${JSON.stringify(kind)}`);
  return fluenceClientFor(resolveSettings(fluenceCloud, config)).sharedPlans(kind);
}
