/** Every cloud the CLI can start: the clouds registered in provider/clouds.ts, each loading its emulator entry. */

import { clouds as registered } from "../provider/clouds";
import type { CloudEntry } from "./core/cloudEntry";

export const clouds: Record<string, CloudEntry> = Object.fromEntries(registered.map((c) => [c.name, c.emulator()]));
