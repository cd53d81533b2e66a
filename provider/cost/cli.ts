#!/usr/bin/env node
/** `pulumi-gpucloud cost diff|report`: the GPU bill of a preview or a stack (issue 16). */
import * as fs from "fs";
import { costDiff, parsePreview } from "./costDiff";
import { diffMarkdown, diffText, reportText } from "./costFormat";
import { CostInputError } from "./costInputError";
import { costReport, parseStackExport } from "./costReport";

export const USAGE = `usage:
  pulumi preview --json --show-sames | pulumi-gpucloud cost diff [--format text|markdown] [--fail-above <USD/h>] [--fail-above-increase <USD/h>] [file]
  pulumi stack export | pulumi-gpucloud cost report [--json] [file]

cost diff     per machine +$X.XX/h / -$X.XX/h with the reason (create, replace and the fields, delete, stop, start, update),
              and the totals before and after, per hour and per 30 days
  --fail-above <USD/h>           exit 1 when the total after the change is over this
  --fail-above-increase <USD/h>  exit 1 when the change adds more than this per hour
cost report   running and stopped machines with their rates and the total; --json for scripts
Exit codes: 0 fine, 1 over a --fail-above threshold, 2 bad input (nothing else done).
`;

export interface CliIo {
  readInput(file: string | undefined): string;
  out(text: string): void;
  err(text: string): void;
}

function threshold(flag: string, raw: string | undefined): number {
  const v = Number(raw);
  if (raw === undefined || raw.trim() === "" || !Number.isFinite(v) || v < 0) {
    throw new CostInputError(`${flag} needs a non-negative number of USD per hour, got ${raw === undefined ? "nothing" : JSON.stringify(raw)}`);
  }
  return v;
}

/** Runs one command; returns the exit code. */
export function runCostCli(argv: string[], io: CliIo): number {
  try {
    const [group, command, ...rest] = argv;
    if (group === "--help" || group === "-h" || !group) {
      io.out(USAGE);
      return group ? 0 : 2;
    }
    if (group !== "cost" || (command !== "diff" && command !== "report")) throw new CostInputError(`unknown command "${argv.join(" ")}"\n${USAGE}`);
    const opts: Record<string, string | true> = {};
    let file: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === "--json" || a === "--help") opts[a.slice(2)] = true;
      else if (a === "--format" || a === "--fail-above" || a === "--fail-above-increase") opts[a.slice(2)] = rest[++i] ?? "";
      else if (a.startsWith("--")) throw new CostInputError(`unknown option ${a}\n${USAGE}`);
      else file = a === "-" ? undefined : a;
    }
    if (opts.help) {
      io.out(USAGE);
      return 0;
    }
    if (command === "report") {
      const report = costReport(parseStackExport(io.readInput(file)));
      io.out(opts.json ? JSON.stringify(report, null, 2) + "\n" : reportText(report));
      return 0;
    }
    const format = opts.format === undefined ? "text" : opts.format;
    if (format !== "text" && format !== "markdown") throw new CostInputError(`--format must be text or markdown, got ${JSON.stringify(format)}`);
    const maxTotal = opts["fail-above"] === undefined ? undefined : threshold("--fail-above", String(opts["fail-above"]));
    const maxIncrease = opts["fail-above-increase"] === undefined ? undefined : threshold("--fail-above-increase", String(opts["fail-above-increase"]));
    const diff = costDiff(parsePreview(io.readInput(file)));
    io.out(format === "markdown" ? diffMarkdown(diff) : diffText(diff));
    if (maxTotal !== undefined && diff.totalAfter > maxTotal) {
      io.err(`cost diff: the stack would cost $${diff.totalAfter.toFixed(2)}/h, over --fail-above $${maxTotal.toFixed(2)}/h\n`);
      return 1;
    }
    if (maxIncrease !== undefined && diff.delta > maxIncrease) {
      io.err(`cost diff: the change adds $${diff.delta.toFixed(2)}/h, over --fail-above-increase $${maxIncrease.toFixed(2)}/h\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof CostInputError) {
      io.err(`pulumi-gpucloud: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

function readInput(file: string | undefined): string {
  try {
    return fs.readFileSync(file ?? 0, "utf8");
  } catch (err) {
    throw new CostInputError(`cannot read ${file ?? "standard input"}: ${(err as Error).message}`);
  }
}

if (require.main === module) {
  process.exitCode = runCostCli(process.argv.slice(2), { readInput, out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
}
