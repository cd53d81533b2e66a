/** Every cloud the CLI can start. Adding a cloud = one folder + one line here. */

import type { CloudEntry } from "./core/cloudEntry";
import { gpcnCloud } from "./gpcn/cloudEntry";

export const clouds: Record<string, CloudEntry> = {
  gpcn: gpcnCloud,
};
