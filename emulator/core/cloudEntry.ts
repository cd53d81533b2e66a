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
