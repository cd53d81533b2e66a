/** The Fluence line in the CLI's cloud table. */

import { cloudEntry } from "../core/cloudEntry";
import { FLUENCE_DEFAULT_API_KEY, startFluenceEmulator } from "./startFluenceEmulator";

export const fluenceCloud = cloudEntry({ title: "Fluence", namespace: "fluence", defaultApiKey: FLUENCE_DEFAULT_API_KEY, start: startFluenceEmulator });
