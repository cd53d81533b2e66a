/** One adapter per cloud in emulator/clouds.ts, by the same key (the matrix checks the two lists agree). */

import type { EmulatorAdapter } from "./emulatorAdapter";
import { fluenceAdapter } from "./fluence";
import { gpcnAdapter } from "./gpcn";
import { novaAdapter } from "./nova";
import { novitaAdapter } from "./novita";

export const emulatorAdapters: Record<string, EmulatorAdapter> = {
  gpcn: gpcnAdapter,
  novita: novitaAdapter,
  nova: novaAdapter,
  fluence: fluenceAdapter,
};
