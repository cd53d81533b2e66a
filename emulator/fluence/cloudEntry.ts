/** The Fluence line in the CLI's cloud table. */

import type { CloudEntry } from "../core/cloudEntry";
import { FLUENCE_DEFAULT_API_KEY, startFluenceEmulator } from "./startFluenceEmulator";

export const fluenceCloud: CloudEntry = {
  title: "Fluence",
  async start(options) {
    const apiKey = options.apiKey ?? FLUENCE_DEFAULT_API_KEY;
    const emulator = await startFluenceEmulator({
      port: options.port,
      timeScale: options.timeScale,
      seed: options.seed,
      apiKeys: [apiKey],
      logger: options.logger,
    });
    return {
      url: emulator.url,
      adminUrl: emulator.adminUrl,
      apiKey,
      configLines: [`pulumi config set fluence:endpoint ${emulator.url}`, `pulumi config set --secret fluence:apiKey ${apiKey}`],
      close: () => emulator.close(),
    };
  },
};
