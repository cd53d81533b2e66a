/** The Nova line in the CLI's cloud table. */

import type { CloudEntry } from "../core/cloudEntry";
import { NOVA_DEFAULT_API_KEY, startNovaEmulator } from "./startNovaEmulator";

export const novaCloud: CloudEntry = {
  title: "Nova Cloud",
  async start(options) {
    const apiKey = options.apiKey ?? NOVA_DEFAULT_API_KEY;
    const emulator = await startNovaEmulator({ port: options.port, timeScale: options.timeScale, seed: options.seed, apiKeys: [apiKey], logger: options.logger });
    return {
      url: emulator.url,
      adminUrl: emulator.adminUrl,
      apiKey,
      configLines: [`pulumi config set nova:endpoint ${emulator.url}`, `pulumi config set --secret nova:apiKey ${apiKey}`],
      close: () => emulator.close(),
    };
  },
};
