/** Every cloud the CLI can start: the clouds registered in provider/clouds.ts, each loading its emulator entry. */

import { clouds as registered } from "../provider/clouds";
import type { CloudEntry } from "./core/cloudEntry";

/**
 * `--cloud all` gives the clouds consecutive ports in this order, the order of 0.1.0, so a script
 * that reaches Novita at `--port` + 1 keeps working. A cloud not named here (a new one) comes after.
 */
const PORT_ORDER_OF_0_1_0 = ["gpcn", "novita", "nova", "fluence"];
const portRank = (name: string) => (PORT_ORDER_OF_0_1_0.includes(name) ? PORT_ORDER_OF_0_1_0.indexOf(name) : PORT_ORDER_OF_0_1_0.length);

export const clouds: Record<string, CloudEntry> = Object.fromEntries(
  [...registered].sort((a, b) => portRank(a.name) - portRank(b.name)).map((c) => [c.name, c.emulator()]),
);
