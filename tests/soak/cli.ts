import { runSoak, summaryLine } from "./soak";
import { FAULT_KINDS, soakTargets } from "./soakTargets";

// npm run soak -- --cycles N --seed S [--cloud C]. Exit 1 on any invariant violation, 2 on bad
// arguments. The seed is printed first: the same seed draws the same fleets and fault mixes.

const USAGE = `usage: npm run soak -- --cycles N [--seed S] [--cloud ${soakTargets.map((t) => t.name).join("|")}] [--trace]`;

function parse(argv: string[]): { cycles: number; seed: string; cloud?: string; trace: boolean } {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--trace") {
      args.trace = "true";
      continue;
    }
    const m = /^--(cycles|seed|cloud)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument ${argv[i]}`);
    args[m[1]] = m[2] ?? argv[++i];
    if (args[m[1]] === undefined) throw new Error(`--${m[1]} needs a value`);
  }
  const cycles = Number(args.cycles ?? "10");
  if (!Number.isInteger(cycles) || cycles < 1) throw new Error(`--cycles must be a whole number ≥ 1`);
  if (args.cloud && !soakTargets.some((t) => t.name === args.cloud)) throw new Error(`--cloud must be one of ${soakTargets.map((t) => t.name).join(", ")}`);
  return { cycles, seed: args.seed ?? String(Date.now() % 1_000_000), cloud: args.cloud, trace: args.trace === "true" };
}

/** The whole command: prints as it goes, the summary line last; returns the exit code. */
export async function soakCli(argv: string[], print: (line: string) => void = console.log, run: typeof runSoak = runSoak, printError: (line: string) => void = console.error): Promise<number> {
  let args;
  try {
    args = parse(argv);
  } catch (e) {
    printError(`soak: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  print(`soak: seed ${args.seed}, ${args.cycles} cycles, ${args.cloud ?? "every target"} (rerun: npm run soak -- --cycles ${args.cycles} --seed ${args.seed}${args.cloud ? ` --cloud ${args.cloud}` : ""})`);
  const result = await run({ cycles: args.cycles, seed: args.seed, targets: args.cloud ? [args.cloud] : undefined, trace: args.trace, log: print });
  print(`faults by kind: ${FAULT_KINDS.map((k) => `${k} ${result.faults[k] ?? 0}`).join(", ")}; failed operations ${result.failedOperations}`);
  for (const v of result.violations) print(`violation: ${v.target} cycle ${v.cycle} ${v.phase}: ${v.kind}: ${v.detail} [faults: ${v.faults.join(", ") || "none"}]`);
  print(summaryLine(result));
  return result.violations.length ? 1 : 0;
}

if (require.main === module) {
  // Exiting runs the harness's exit hook, which kills every provider process the soak started.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
  soakCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`soak: ${(e as Error).stack ?? e}`);
      process.exit(2);
    },
  );
}
