/** The Novita line in the CLI's cloud table. */

import type { CloudEntry } from "../core/cloudEntry";
import { NOVITA_DEFAULT_API_KEY, startNovitaEmulator } from "./startNovitaEmulator";

export const novitaCloud: CloudEntry = {
  title: "Novita",
  async start(options) {
    const apiKey = options.apiKey ?? NOVITA_DEFAULT_API_KEY;
    const emulator = await startNovitaEmulator({ port: options.port, timeScale: options.timeScale, seed: options.seed, apiKeys: [apiKey], logger: options.logger });
    return {
      url: emulator.url,
      adminUrl: emulator.adminUrl,
      apiKey,
      configLines: [`pulumi config set novita:endpoint ${emulator.url}`, `pulumi config set --secret novita:apiKey ${apiKey}`],
      close: () => emulator.close(),
    };
  },
};
