import { ValidationError } from "../core/errors";
import { knownFields, PriceQuote, sayOnce } from "../core/pricing";
import type { CallContext } from "../core/resourceHandler";
import type { ConfigSource } from "../core/settings";

/** Where the user sets the table, in this door's words. */
const tableKey = (config: ConfigSource | undefined) => config?.configKeyOf?.("gpcn:priceTable") ?? "gpcn:priceTable";

/**
 * `gpcn:priceTable` (plugin: `gpucloud:gpcnPriceTable`): JSON map of SKU code → USD per hour for
 * the whole VM. A malformed table is an error naming the key, never a silently missing price.
 */
export function priceTableOf(config: ConfigSource | undefined): Record<string, number> | undefined {
  const raw = config?.get("gpcn:priceTable");
  if (raw === undefined || raw === "") return undefined;
  let table: unknown;
  try {
    table = JSON.parse(raw);
  } catch {
    throw new ValidationError(`${tableKey(config)} must be a JSON object of SKU code → USD per hour, e.g. {"H100-80G-PCIE": 2.5}; it is not JSON`, { cloud: "gpcn", issues: [{ path: "gpcnPriceTable", message: "not JSON" }] });
  }
  const bad = !table || typeof table !== "object" || Array.isArray(table) ? ["(not an object)"] : Object.entries(table).filter(([, v]) => typeof v !== "number" || !(v >= 0)).map(([k]) => k);
  if (bad.length) throw new ValidationError(`${tableKey(config)} must map SKU codes to non-negative USD per hour; bad entries: ${bad.join(", ")}`, { cloud: "gpcn", issues: [{ path: "gpcnPriceTable", message: "bad entries" }] });
  return table as Record<string, number>;
}

/**
 * GPCN publishes no prices (shared/api/gpcn.md §10: none in inventory, SKU or VM, no pricing
 * endpoint): the price comes from the user's table by `skuCode`, per machine. Without a table, or
 * for a VM without a skuCode, the price is absent and the reason is said once.
 */
export async function priceOf(_ctx: CallContext, inputs: Record<string, unknown>, config: ConfigSource | undefined): Promise<PriceQuote | undefined> {
  const table = priceTableOf(config);
  if (!table) {
    sayOnce(`gpcn:GpuVm: GPCN publishes no prices; set ${tableKey(config)} (SKU code → USD per hour) to see pricePerHour and use maxPricePerHour`);
    return undefined;
  }
  if (!knownFields(inputs, ["skuCode"])) return undefined;
  if (!inputs.skuCode) {
    sayOnce(`gpcn:GpuVm: no price for a VM without skuCode; ${tableKey(config)} is keyed by SKU code`);
    return undefined;
  }
  const sku = String(inputs.skuCode);
  const price = table[sku];
  if (price === undefined) {
    throw new ValidationError(`${tableKey(config)} has no price for SKU ${sku}; it lists ${Object.keys(table).join(", ") || "nothing"}`, { cloud: "gpcn", issues: [{ path: "skuCode", message: "not in the price table" }] });
  }
  const cheaper = Object.entries(table)
    .filter(([, p]) => p < price)
    .sort((a, b) => a[1] - b[1])
    .map(([code, p]) => `SKU ${code} $${p.toFixed(2)}/h`);
  return { pricePerHour: price, currency: "USD", priceSource: "priceTable", cheaper };
}
