/** Starts the clouds named on the command line, arms any --fault knobs, and prints how to point Pulumi at them. */

import { CliUsageError, parseCliArgs } from "./cliArgs";
import { armFaults, CliFaultError } from "./cliFaults";
import { usage } from "./cliHelp";
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

/** Printed last, once every cloud listens and every fault is armed: scripts can wait for it. */
export const READY_LINE = "Ready. Ctrl-C stops.";

/** Returns null when nothing was started (help, or an error: see `exitCode`). */
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
  if (args.port !== 0 && args.port + selected.length - 1 > 65535) {
    io.err(`--port ${args.port} leaves no room for ${selected.length} consecutive ports`);
    return { session: null, exitCode: 2 };
  }

  // Nothing is printed until every cloud listens and every fault is armed: a bad --fault is
  // refused before a "listening" line could send a user or a script to an emulator that stops.
  const pending: string[] = [];
  let say = (line: string): void => {
    pending.push(line);
  };
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
        logger: (line) => say(`[${name}] ${line}`),
      });
      running.push({ name, cloud });
      say(`${clouds[name].title} emulator listening on ${cloud.url}${args.timeScale ? ` (time scale ${args.timeScale})` : ""}`);
      for (const line of cloud.configLines) say(`  ${line}`);
      say(`  admin: ${cloud.adminUrl}/_admin/state`);
    }
  } catch (err) {
    await close();
    io.err(`Could not start: ${err instanceof Error ? err.message : String(err)}`);
    return { session: null, exitCode: 1 };
  }
  try {
    for (const line of await armFaults(running, args.faults)) say(line);
  } catch (err) {
    await close();
    if (!(err instanceof CliFaultError)) throw err;
    io.err(`Bad --fault:\n${err.problems.map((p) => `  ${p}`).join("\n")}\nSee --help for every cloud's knobs.`);
    return { session: null, exitCode: 2 };
  }
  for (const line of pending.splice(0)) io.out(line);
  say = (line) => io.out(line);
  io.out(READY_LINE);
  return { session: { running, close }, exitCode: 0 };
}
