/** The Novita line in the CLI's cloud table. */

import { cloudEntry } from "../core/cloudEntry";
import { NOVITA_DEFAULT_API_KEY, startNovitaEmulator } from "./startNovitaEmulator";

export const novitaCloud = cloudEntry({ title: "Novita", namespace: "novita", defaultApiKey: NOVITA_DEFAULT_API_KEY, start: startNovitaEmulator });
