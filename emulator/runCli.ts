/** Starts the clouds named on the command line and prints how to point Pulumi at them. */

import { CliUsageError, parseCliArgs, usage } from "./cliArgs";
import { clouds } from "./clouds";
import type { RunningCloud } from "./core/cloudEntry";

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface CliSession {
  running: { name: string; cloud: RunningCloud }[];
  close(): Promise<void>;
}

/** Returns null when nothing was started (help, or a usage error: see `exitCode`). */
export async function runCli(argv: string[], io: CliOutput): Promise<{ session: CliSession | null; exitCode: number }> {
  const names = Object.keys(clouds);
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    io.err(`${err.message}\n\n${usage(names)}`);
    return { session: null, exitCode: 2 };
  }
  if (args.help) {
    io.out(usage(names));
    return { session: null, exitCode: 0 };
  }
  const selected = args.cloud === "all" ? names : [args.cloud];
  const unknown = selected.find((name) => !clouds[name]);
  if (unknown) {
    io.err(`Unknown cloud "${unknown}". Known: ${[...names, "all"].join(", ")}`);
    return { session: null, exitCode: 2 };
  }

  const running: CliSession["running"] = [];
  const close = async () => {
    await Promise.all(running.map((r) => r.cloud.close()));
  };
  try {
    for (const [index, name] of selected.entries()) {
      const cloud = await clouds[name].start({
        port: args.port === 0 ? 0 : args.port + index,
        timeScale: args.timeScale,
        seed: args.seed,
        apiKey: args.apiKey,
        logger: (line) => io.out(`[${name}] ${line}`),
      });
      running.push({ name, cloud });
      io.out(`${clouds[name].title} emulator listening on ${cloud.url}${args.timeScale ? ` (time scale ${args.timeScale})` : ""}`);
      for (const line of cloud.configLines) io.out(`  ${line}`);
      io.out(`  admin: ${cloud.adminUrl}/_admin/state`);
    }
  } catch (err) {
    await close();
    io.err(`Could not start: ${err instanceof Error ? err.message : String(err)}`);
    return { session: null, exitCode: 1 };
  }
  return { session: { running, close }, exitCode: 0 };
}
