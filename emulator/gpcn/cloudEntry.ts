/** The GPCN line in the CLI's cloud table. */

import type { CloudEntry } from "../core/cloudEntry";
import { GPCN_DEFAULT_API_KEY, startGpcnEmulator } from "./startGpcnEmulator";

export const gpcnCloud: CloudEntry = {
  title: "GPCN",
  async start(options) {
    const apiKey = options.apiKey ?? GPCN_DEFAULT_API_KEY;
    const emulator = await startGpcnEmulator({
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
      configLines: [`pulumi config set gpcn:endpoint ${emulator.url}`, `pulumi config set --secret gpcn:apiKey ${apiKey}`],
      close: () => emulator.close(),
    };
  },
};
