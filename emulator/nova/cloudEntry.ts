/** The Nova Cloud line in the CLI's cloud table. */

import { cloudEntry } from "../core/cloudEntry";
import { NOVA_DEFAULT_API_KEY, startNovaEmulator } from "./startNovaEmulator";

export const novaCloud = cloudEntry({ title: "Nova Cloud", namespace: "nova", defaultApiKey: NOVA_DEFAULT_API_KEY, start: startNovaEmulator });
