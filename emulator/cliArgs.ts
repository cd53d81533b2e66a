/** Command-line options of `pulumi-gpucloud-emulator`. */

import { parseArgs } from "node:util";

export interface CliArgs {
  /** A cloud name, or "all". */
  cloud: string;
  port: number;
  timeScale?: number;
  seed?: string;
  apiKey?: string;
  help: boolean;
}

export class CliUsageError extends Error {}

export function usage(cloudNames: string[]): string {
  return [
    "Usage: pulumi-gpucloud-emulator [options]",
    "",
    `  --cloud <name>       ${[...cloudNames, "all"].join(" | ")} (default gpcn); "all" uses consecutive ports`,
    "  --port <n>           port to listen on (default 8080; 0 = random)",
    "  --time-scale <x>     emulated seconds per real second (default 1; 180 makes a 180 s job take 1 s)",
    "  --seed <s>           reproducible resource ids",
    "  --api-key <key>      accepted API key (default: the cloud's test key)",
    "  -h, --help           show this help",
  ].join("\n");
}

export function parseCliArgs(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cloud: { type: "string", default: "gpcn" },
        port: { type: "string", default: "8080" },
        "time-scale": { type: "string" },
        seed: { type: "string" },
        "api-key": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? "") || port > 65535) throw new CliUsageError(`--port must be an integer 0-65535, got "${values.port}"`);
  let timeScale: number | undefined;
  if (values["time-scale"] !== undefined) {
    timeScale = Number(values["time-scale"]);
    if (!Number.isFinite(timeScale) || timeScale <= 0) throw new CliUsageError(`--time-scale must be a number > 0, got "${values["time-scale"]}"`);
  }
  return {
    cloud: (values.cloud ?? "gpcn").toLowerCase(),
    port,
    timeScale,
    seed: values.seed,
    apiKey: values["api-key"],
    help: values.help ?? false,
  };
}
