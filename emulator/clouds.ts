/** Every cloud the CLI can start. Adding a cloud = one folder + one line here. */

import type { CloudEntry } from "./core/cloudEntry";
import { gpcnCloud } from "./gpcn/cloudEntry";
import { novitaCloud } from "./novita/cloudEntry";
import { novaCloud } from "./nova/cloudEntry";
import { fluenceCloud } from "./fluence/cloudEntry";

export const clouds: Record<string, CloudEntry> = {
  gpcn: gpcnCloud,
  novita: novitaCloud,
  nova: novaCloud,
  fluence: fluenceCloud,
};
