/** Nova-specific fault knobs, next to the generic HTTP bursts in the core FaultStore. */

import { countOnlyKnobs, FaultStore, type CoreFaultKnobs, type CountedKnob } from "../core/faults";

export interface NovaFaultKnobs extends CoreFaultKnobs {
  /** The next valid creates make a VM that goes creating -> failed part-way (Nova's VM has no reason field). */
  failNextCreates: CountedKnob;
  /** The next valid creates make a VM that reaches starting and never runs. */
  stuckNextCreates: CountedKnob;
  /** The next valid creates get 400 "Not enough available GPUs on node …". */
  capacityNextCreates: CountedKnob;
  /** The next creates really happen, then the connection is reset without a response. */
  loseCreateResponse: CountedKnob;
}

export function createNovaFaultStore(): FaultStore<NovaFaultKnobs> {
  return new FaultStore<NovaFaultKnobs>(countOnlyKnobs("failNextCreates", "stuckNextCreates", "capacityNextCreates", "loseCreateResponse"));
}
