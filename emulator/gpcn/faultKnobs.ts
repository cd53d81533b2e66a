/** GPCN-specific fault knobs. They live in the core FaultStore next to the generic HTTP bursts. */

import { countOnlyKnobs, FaultStore, type CoreFaultKnobs, type CountedKnob, type KnobValidator } from "../core/faults";

export type JobOperation = "create" | "delete";

export interface GpcnFaultKnobs extends CoreFaultKnobs {
  /** The next jobs fail part-way (create: VM ends in status `Error`). */
  failNextJobs: CountedKnob & { message?: string; operation?: JobOperation };
  /** The next jobs never complete; progress stalls below 100. */
  stuckNextJobs: CountedKnob & { operation?: JobOperation };
  /** The next valid creates get 409 "Inventory depleted - …". */
  capacityNextCreates: CountedKnob;
  /** The next valid creates get 503 "GPU provider not available". */
  unavailableNextCreates: CountedKnob;
  /** The next creates really happen (VM + job), then the connection is reset without a response. */
  loseCreateResponse: CountedKnob;
  /** The next single-VM starts answer 501: the upstream provider cannot start (older guide). */
  startNotImplemented: CountedKnob;
}

const operation: KnobValidator = (k) =>
  k.operation === undefined || k.operation === "create" || k.operation === "delete" ? [] : ['operation must be "create" or "delete"'];

const gpcnValidators: Record<Exclude<keyof GpcnFaultKnobs, keyof CoreFaultKnobs>, KnobValidator> = {
  failNextJobs: (k) => [...operation(k), ...(k.message === undefined || typeof k.message === "string" ? [] : ["message must be a string"])],
  stuckNextJobs: operation,
  ...countOnlyKnobs("capacityNextCreates", "unavailableNextCreates", "loseCreateResponse", "startNotImplemented"),
};

export function createGpcnFaultStore(): FaultStore<GpcnFaultKnobs> {
  return new FaultStore<GpcnFaultKnobs>(gpcnValidators);
}
