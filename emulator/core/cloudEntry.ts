/** How the CLI starts one cloud emulator. Each cloud folder exports one of these. */

export interface CloudStartOptions {
  port: number;
  timeScale?: number;
  seed?: string;
  /** Overrides the cloud's default test key. */
  apiKey?: string;
  logger: (line: string) => void;
}

export interface RunningCloud {
  /** Base URL clients use (including any API prefix). */
  url: string;
  /** Origin serving `/_admin/*`. */
  adminUrl: string;
  apiKey: string;
  /** Shell lines that point a Pulumi stack at this emulator. */
  configLines: string[];
  close(): Promise<void>;
}

export interface CloudEntry {
  /** Human name, e.g. "GPCN". */
  title: string;
  start(options: CloudStartOptions): Promise<RunningCloud>;
}

/** The CLI entry of a cloud whose emulator takes the common options: its title, config namespace and start function. */
export function cloudEntry(spec: {
  title: string;
  /** Stack-config namespace, e.g. "gpcn". */
  namespace: string;
  defaultApiKey: string;
  start(options: { port: number; timeScale?: number; seed?: string; apiKeys: string[]; logger: (line: string) => void }): Promise<{
    url: string;
    adminUrl: string;
    close(): Promise<void>;
  }>;
}): CloudEntry {
  return {
    title: spec.title,
    async start(options) {
      const apiKey = options.apiKey ?? spec.defaultApiKey;
      const emulator = await spec.start({ port: options.port, timeScale: options.timeScale, seed: options.seed, apiKeys: [apiKey], logger: options.logger });
      return {
        url: emulator.url,
        adminUrl: emulator.adminUrl,
        apiKey,
        configLines: [`pulumi config set ${spec.namespace}:endpoint ${emulator.url}`, `pulumi config set --secret ${spec.namespace}:apiKey ${apiKey}`],
        close: () => emulator.close(),
      };
    },
  };
}
