import { CapacityError } from "./errors";

// "Out of capacity everywhere we were allowed to look": one error that says what was tried, so
// the user sees every offer and its cloud's answer instead of the last one only.

export interface CapacityAttempt {
  cloud: string;
  /** "H100×8 in KAN-1" */
  offer: string;
  /** The cloud's answer, e.g. "Inventory depleted". */
  outcome: string;
}

/** `tried 2 offers: gpcn H100×8 in KAN-1 → inventory depleted; nova 5090×8 on vm02 → no capacity` */
export function capacitySummary(attempts: CapacityAttempt[]): string {
  if (attempts.length === 0) return "tried no offers";
  const items = attempts.map((a) => `${a.cloud} ${a.offer} → ${a.outcome}`);
  return `tried ${attempts.length} offer${attempts.length === 1 ? "" : "s"}: ${items.join("; ")}`;
}

export class OutOfCapacityError extends CapacityError {
  constructor(
    what: string,
    readonly attempts: CapacityAttempt[],
    note?: string,
  ) {
    super(`${what}: out of capacity; ${capacitySummary(attempts)}${note ? `; ${note}` : ""}`, { cloud: "multicloud" });
  }
}
