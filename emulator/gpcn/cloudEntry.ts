/** The GPCN line in the CLI's cloud table. */

import { cloudEntry } from "../core/cloudEntry";
import { GPCN_DEFAULT_API_KEY, startGpcnEmulator } from "./startGpcnEmulator";

export const gpcnCloud = cloudEntry({ title: "GPCN", namespace: "gpcn", defaultApiKey: GPCN_DEFAULT_API_KEY, start: startGpcnEmulator });
