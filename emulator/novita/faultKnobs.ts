/** Novita-specific fault knobs, next to the generic HTTP bursts in the core FaultStore. */

import { countOnlyKnobs, FaultStore, type CoreFaultKnobs, type CountedKnob, type KnobValidator } from "../core/faults";

export const REJECT_REASONS = ["INSUFFICIENT_RESOURCE", "BALANCE_NOT_ENOUGH", "CREATE_INSTANCE_LIMIT", "GPU_SPEC_USED"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface NovitaFaultKnobs extends CoreFaultKnobs {
  /** The next valid creates are refused with this reason (default INSUFFICIENT_RESOURCE). */
  rejectNextCreates: CountedKnob & { reason?: RejectReason; message?: string };
  /** The next creates really happen, then the connection is reset without a response. */
  loseCreateResponse: CountedKnob;
  /** The next created instances fail while pulling: `exited` with a `statusError`. */
  failNextStarts: CountedKnob & { message?: string };
  /** The next created instances stay in `pulling` forever. */
  stuckNextStarts: CountedKnob;
}

const optionalString = (field: string): KnobValidator => (k) =>
  k[field] === undefined || typeof k[field] === "string" ? [] : [`${field} must be a string`];

const novitaValidators: Record<Exclude<keyof NovitaFaultKnobs, keyof CoreFaultKnobs>, KnobValidator> = {
  rejectNextCreates: (k) => [
    ...optionalString("message")(k),
    ...(k.reason === undefined || REJECT_REASONS.includes(k.reason as RejectReason) ? [] : [`reason must be one of ${REJECT_REASONS.join(", ")}`]),
  ],
  ...countOnlyKnobs("loseCreateResponse"),
  failNextStarts: optionalString("message"),
  ...countOnlyKnobs("stuckNextStarts"),
};

export function createNovitaFaultStore(): FaultStore<NovitaFaultKnobs> {
  return new FaultStore<NovitaFaultKnobs>(novitaValidators);
}
