import { z } from "zod";
import { ValidationError } from "./errors";
import { logProgress } from "./progressLog";
import type { ConfigSource } from "./settings";
import { containsUnknown } from "./unknown";

// One price shape on every GpuVm (issue 16): `pricePerHour`, `currency`, `priceSource`, resolved at
// check from the cloud's published offer data so a preview shows it. The fields are added to the
// checked inputs but are in no rule table, so a price that moves never updates or replaces a machine,
// and state written before they existed diffs clean.

export const PRICE_FIELDS = ["pricePerHour", "currency", "priceSource"] as const;

export interface PriceQuote {
  /** For the whole machine (all its GPUs), per hour, in `currency`; absent when unknown. */
  pricePerHour?: number;
  currency: "USD" | "USDC";
  priceSource: "cloud" | "priceTable";
  /** Offers of the same cloud that fit the caps, cheapest first ("H100 ×1 on vm02 $2.10/h"), for the guard's message. */
  cheaper?: string[];
}

/** The caps every GpuVm takes: `maxPricePerHour` (an input) and `maxStackPricePerHour` (provider config). */
export const maxPricePerHourInput = z.number().positive("must be a positive price per hour").optional();

/** `gpucloud:maxStackPricePerHour` / dynamic `gpucloud:maxStackPricePerHour`; a bad value is a clear error. */
export function stackCapOf(config: ConfigSource | undefined): number | undefined {
  const raw = config?.get("gpucloud:maxStackPricePerHour");
  if (raw === undefined || raw === "") return undefined;
  const cap = Number(raw);
  if (!Number.isFinite(cap) || cap <= 0) {
    throw new ValidationError(`maxStackPricePerHour must be a positive number of USD per hour, got ${JSON.stringify(raw)}`, {
      cloud: "gpucloud",
      issues: [{ path: "maxStackPricePerHour", message: "must be positive" }],
    });
  }
  return cap;
}

const lookups = new Map<string, Promise<unknown>>();

/**
 * One lookup per key per process (a preview of 100 VMs reads each cloud's price list once). A
 * failed lookup is forgotten so the next check tries again.
 */
export function lookupOncePerProcess<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = lookups.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    lookups.set(key, p);
    p.catch(() => lookups.delete(key));
  }
  return p;
}

const said = new Set<string>();
/** A reason the price is unknown, said once per process, not once per machine. */
export function sayOnce(message: string): void {
  if (said.has(message)) return;
  said.add(message);
  logProgress("info", message);
}

export function priceFieldsOf(values: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!values || values.currency === undefined || values.priceSource === undefined) return undefined;
  const out: Record<string, unknown> = { currency: values.currency, priceSource: values.priceSource };
  if (typeof values.pricePerHour === "number") out.pricePerHour = values.pricePerHour;
  return out;
}

export function fieldsOfQuote(q: PriceQuote): Record<string, unknown> {
  return { ...(q.pricePerHour !== undefined ? { pricePerHour: q.pricePerHour } : {}), currency: q.currency, priceSource: q.priceSource };
}

/** `$2.10/h` (USD) or `2.1 USDC/h`. */
export function showPrice(price: number, currency: string): string {
  return currency === "USD" ? `$${price.toFixed(2)}/h` : `${+price.toFixed(4)} ${currency}/h`;
}

/**
 * The budget guard: a machine over its own cap or the stack's is refused before any request to
 * create it, naming the price, the cap and the cheaper offers that would fit.
 */
export function budgetFailure(quote: PriceQuote, caps: { maxPricePerHour?: number; stackCap?: number }): { property: string; reason: string } | undefined {
  if (quote.pricePerHour === undefined) return undefined;
  const over = (cap: number | undefined) => cap !== undefined && quote.pricePerHour! > cap;
  const which = over(caps.maxPricePerHour) ? "maxPricePerHour" : over(caps.stackCap) ? "maxStackPricePerHour" : undefined;
  if (!which) return undefined;
  const cap = which === "maxPricePerHour" ? caps.maxPricePerHour! : caps.stackCap!;
  const cheaper = quote.cheaper?.length ? `; offers that fit: ${quote.cheaper.slice(0, 5).join("; ")}` : "; no offer of this cloud fits that cap";
  return {
    property: which,
    reason: `the machine costs ${showPrice(quote.pricePerHour!, quote.currency)}, over the cap of ${showPrice(cap, quote.currency)}${cheaper}`,
  };
}

/** Quote only once the fields the price depends on are known (preview with unknowns quotes nothing). */
export function knownFields(inputs: Record<string, unknown>, fields: string[]): boolean {
  return fields.every((f) => !containsUnknown(inputs[f]));
}

/** The price outputs every GpuVm declares (the schema and SDKs read them from here). */
export const priceOutputs = {
  pricePerHour: z
    .number()
    .optional()
    .describe("What the machine costs per hour, all GPUs, in `currency`; known in preview. Absent on GPCN without a `gpcnPriceTable` entry."),
  currency: z.enum(["USD", "USDC"]).optional().describe("`USD`, or `USDC` on Fluence."),
  priceSource: z.enum(["cloud", "priceTable"]).optional().describe("`cloud`: the cloud's published offer data; `priceTable`: the provider config `gpcnPriceTable`."),
};
