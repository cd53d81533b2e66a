/** Command-line options of `pulumi-gpucloud-emulator`. */

import { parseArgs } from "node:util";

/** One `--fault [<cloud>:]<knob>=<json>`; validated later by the started clouds' fault stores. */
export interface FaultArg {
  /** Only this cloud; omitted = every started cloud that has the knob. */
  cloud?: string;
  knob: string;
  value: unknown;
  /** As typed, for error messages. */
  text: string;
}

export interface CliArgs {
  /** A cloud name, or "all". */
  cloud: string;
  port: number;
  timeScale?: number;
  seed?: string;
  apiKey?: string;
  faults: FaultArg[];
  help: boolean;
}

export class CliUsageError extends Error {}

const FAULT_EXAMPLE = `--fault rateLimitBurst='{"count":3,"retryAfterSec":2}'`;

export function parseFaultArg(text: string): FaultArg {
  const match = /^(?:([a-z]+):)?([A-Za-z]+)=([\s\S]*)$/.exec(text);
  if (!match) throw new CliUsageError(`--fault "${text}" must look like [<cloud>:]<knob>=<json>, e.g. ${FAULT_EXAMPLE}`);
  const [, cloud, knob, json] = match;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new CliUsageError(`--fault ${knob}: the value after "=" must be JSON (${(err as Error).message}), e.g. ${FAULT_EXAMPLE}`);
  }
  return { ...(cloud ? { cloud } : {}), knob, value, text };
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
        fault: { type: "string", multiple: true, default: [] },
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
    faults: (values.fault ?? []).map(parseFaultArg),
    help: values.help ?? false,
  };
}
