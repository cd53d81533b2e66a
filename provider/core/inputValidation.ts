import { z } from "zod";
import { isUnknown } from "./unknown";

export interface CheckFailure {
  property: string;
  reason: string;
}

export type CrossCheck<I> = (inputs: Partial<I>, known: (field: keyof I & string) => boolean) => CheckFailure[];

/**
 * Validates inputs before any request. Values still unknown in preview are left out of the
 * check (and required fields that are unknown count as present), then put back untouched.
 */
export function checkInputs<S extends z.ZodObject<any>>(
  schema: S,
  news: Record<string, unknown>,
  crossCheck?: CrossCheck<z.infer<S>>,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const unknownKeys = Object.keys(news).filter((k) => isUnknown(news[k]) || hasUnknownInside(news[k]));
  const known = Object.fromEntries(Object.entries(news).filter(([k]) => !unknownKeys.includes(k) && !k.startsWith("__")));
  const shape = schema.shape as Record<string, z.ZodType>;
  const mask = Object.fromEntries(unknownKeys.filter((k) => k in shape).map((k) => [k, true]));
  const effective = unknownKeys.length ? (schema as z.ZodObject<any>).partial(mask as any) : schema;
  const parsed = effective.safeParse(known);
  const failures: CheckFailure[] = [];
  let inputs: Record<string, unknown> = { ...news };
  if (parsed.success) {
    inputs = { ...news, ...(parsed.data as Record<string, unknown>) };
    for (const k of unknownKeys) inputs[k] = news[k];
  } else {
    for (const issue of parsed.error.issues) {
      failures.push({ property: issue.path.map(String).join(".") || "(inputs)", reason: describeIssue(issue, news) });
    }
  }
  if (crossCheck && failures.length === 0) {
    failures.push(...crossCheck(inputs as Partial<z.infer<S>>, (f) => !unknownKeys.includes(f)));
  }
  return { inputs, failures: mergeByProperty(failures) };
}

/** One failure per property: the engine prints each as its own line. */
function mergeByProperty(failures: CheckFailure[]): CheckFailure[] {
  const merged = new Map<string, string[]>();
  for (const f of failures) merged.set(f.property, [...(merged.get(f.property) ?? []), f.reason]);
  return [...merged].map(([property, reasons]) => ({ property, reason: [...new Set(reasons)].join("; ") }));
}

function hasUnknownInside(v: unknown): boolean {
  if (Array.isArray(v)) return v.some((x) => isUnknown(x) || hasUnknownInside(x));
  if (v && typeof v === "object") return Object.values(v).some((x) => isUnknown(x) || hasUnknownInside(x));
  return false;
}

function describeIssue(issue: z.core.$ZodIssue, news: Record<string, unknown>): string {
  const key = issue.path[0];
  const given = typeof key === "string" ? news[key] : undefined;
  // zod 4 reports a missing enum/literal/union as invalid_value/invalid_union, not invalid_type.
  const missing = issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "invalid_union";
  if (given === undefined && issue.path.length === 1 && missing) return "is required";
  return issue.message;
}

/** Zod rules every resource reuses. */
export const inputs = {
  deadlineSeconds: (defaultSeconds: number) => z.number().int().min(1).max(7 * 24 * 3600).default(defaultSeconds),
};
