/** Fluence-specific fault knobs, stored in the core FaultStore next to the generic HTTP bursts. */

import { countOnlyKnobs, FaultStore, type CoreFaultKnobs, type CountedKnob } from "../core/faults";

export interface FluenceFaultKnobs extends CoreFaultKnobs {
  /** The next deploys end in FAILED when provisioning would finish (the reserve is refunded). */
  failNextDeploys: CountedKnob;
  /** The next deploys stay INITIALIZED until `activateInstance(id)` (or forever). */
  stuckNextDeploys: CountedKnob;
  /** The next valid deploys get 400 "Plan is no longer available". */
  planGoneNextDeploys: CountedKnob;
  /** The next deploys really happen, then the connection is reset without a response. */
  loseDeployResponse: CountedKnob;
}

export function createFluenceFaultStore(): FaultStore<FluenceFaultKnobs> {
  return new FaultStore<FluenceFaultKnobs>(countOnlyKnobs("failNextDeploys", "stuckNextDeploys", "planGoneNextDeploys", "loseDeployResponse"));
}
