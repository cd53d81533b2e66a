import type { DynamicHost, Props } from "../harness/dynamicHost";
import { EngineModel, type FailedOperation, type OperationRunner } from "./engineModel";
import { SeededRandom } from "./seededRandom";
import { FAULT_KINDS, faultKindOfKnob, soakTargets, type FaultKind, type SoakTarget, type SoakWorld } from "./soakTargets";

// The chaos soak: for each target, cycles of fleet up (mixed sizes), refresh, in-place
// updates and replaces, then destroy, through Pulumi's dynamic-provider host, while the emulators
// inject a random mix of faults drawn from the seed. After every phase the invariants are checked:
// the emulators' machines are exactly the recorded ones, no recorded machine is lost, no machine is
// recorded twice, and every failed operation ended with a clear error. A create that failed closed
// naming machines (AMBIGUOUS_ADOPTION) is followed by the user's remedy and another `up` within the
// phase (engineModel.ts): it is no violation when the error was clear and that `up` records them.

export interface SoakOptions {
  cycles: number;
  seed: string;
  /** Target names (gpcn, nova, novita, fluence, multicloud); default all. Cycles go round-robin. */
  targets?: string[];
  /** Fault kinds that may be drawn; default all. */
  faults?: readonly FaultKind[];
  /** Per target: fault kinds that are not drawn for it (known bugs excluded from a short run). */
  excludeFaults?: Record<string, readonly FaultKind[]>;
  /** Whether phase 2 may replace machines (a replace per target can be excluded the same way). */
  excludeReplaces?: readonly string[];
  /** Log every operation and its outcome. */
  trace?: boolean;
  /** Chance that each allowed fault kind is armed in a phase. */
  faultChance?: number;
  log?: (line: string) => void;
  /**
   * Runs after each phase, just before the invariants are checked, with the keys of the machines
   * state records. Only the soak's own tests use it: to break an invariant on purpose and prove the
   * checks (and the CLI's exit code) catch it.
   */
  beforeCheck?: (world: SoakWorld, recordedKeys: string[], phase: string) => void;
}

export interface Violation {
  target: string;
  /** From 1, as the cycle lines print it. */
  cycle: number;
  phase: string;
  kind: "orphan" | "lost" | "duplicate" | "unclear error";
  detail: string;
  /** The faults injected in that phase: with the seed, what reproduces it. */
  faults: string[];
}

export interface SoakResult {
  seed: string;
  cycles: number;
  operations: number;
  failedOperations: number;
  faults: Partial<Record<FaultKind, number>>;
  violations: Violation[];
  wallSeconds: number;
}

const PHASES = ["up", "refresh", "update", "destroy"] as const;
const MUTATING = new Set(["create", "update", "delete"]);

/** What makes an error unclear: a crash of our own code, a hang, or nothing said at all. */
const UNCLEAR = [/TypeError|ReferenceError|SyntaxError/, /Cannot read propert/, /is not a function/, /\[object Object\]/, /did not answer within/, /^\s*(undefined|null|Error)?\s*$/];

export function unclearErrorReason(message: string, apiKeys: string[]): string | undefined {
  if (apiKeys.some((k) => message.includes(k))) return "contains the API key";
  const bad = UNCLEAR.find((r) => r.test(message));
  if (bad) return `matches ${bad}`;
  if (message.length < 20) return "too short to say what failed";
  return undefined;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const names = options.targets ?? soakTargets.map((t) => t.name);
  const targets = names.map((n) => {
    const t = soakTargets.find((x) => x.name === n);
    if (!t) throw new Error(`soak: unknown target "${n}"; known: ${soakTargets.map((x) => x.name).join(", ")}`);
    return t;
  });
  const result: SoakResult = { seed: options.seed, cycles: 0, operations: 0, failedOperations: 0, faults: {}, violations: [], wallSeconds: 0 };
  // Cycle i runs on target i mod n, so a short run still reaches every target. Targets have their
  // own emulators and provider processes and run side by side; each draws from its own seed stream.
  const perTarget = targets.map((t, i) => ({ target: t, cycles: Array.from({ length: options.cycles }, (_, c) => c).filter((c) => c % targets.length === i) }));
  // A world's close() stops every provider process of this process, so worlds close after all ran.
  const worlds: SoakWorld[] = [];
  try {
    const runs = await Promise.allSettled(perTarget.filter((p) => p.cycles.length > 0).map(({ target, cycles }) => soakTarget(target, cycles, options, result, log, worlds)));
    const crashed = runs.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (crashed) throw crashed.reason;
  } finally {
    for (const world of worlds) await world.close();
  }
  result.wallSeconds = Math.round((Date.now() - started) / 1000);
  return result;
}

async function soakTarget(target: SoakTarget, cycles: number[], options: SoakOptions, result: SoakResult, log: (line: string) => void, worlds: SoakWorld[]): Promise<void> {
  const world = await target.start();
  worlds.push(world);
  let host = await world.newHost();
  /** Processes replaced after a kill: operations already running there finish, then they stop. */
  const retired: DynamicHost[] = [];
  const allowed = (options.faults ?? FAULT_KINDS).filter((k) => !(options.excludeFaults?.[target.name] ?? []).includes(k));
  const replaces = !(options.excludeReplaces ?? []).includes(target.name);
  const reported = new Set<string>();
  let kill: { at: number; rng: SeededRandom } | undefined;
  let mutations = 0;
  let phaseFaults: string[] = [];
  const count = (kind: FaultKind, n = 1) => (result.faults[kind] = (result.faults[kind] ?? 0) + n);

  // The engine's provider process; one operation per kill runs on a process that dies part way,
  // then the engine (restarted) runs the same operation again on a new one.
  const traced = <T>(op: string, resource: string, p: Promise<T>): Promise<T> => {
    if (!options.trace || op === "check" || op === "diff") return p;
    return p.then(
      (r) => (log(`    ${target.name} ${op} ${resource}: ${JSON.stringify(r)?.slice(0, 160) ?? "done"}`), r),
      (e) => {
        log(`    ${target.name} ${op} ${resource} failed: ${(e as Error).message.slice(0, 200)}${(e as any).initFailed ? ` (partial ${(e as any).initFailed.id})` : ""}`);
        throw e;
      },
    );
  };
  const runner: OperationRunner = async <T>(op: string, resource: string, run: (h: DynamicHost) => Promise<T>): Promise<T> => {
    if (!MUTATING.has(op) || !kill || ++mutations !== kill.at) return traced(op, resource, run(host));
    const doomed = await world.newHost();
    const outcome = run(doomed).then(
      () => "answered",
      () => "failed",
    );
    const delay = kill.rng.int(20, 1500);
    await Promise.race([outcome, new Promise((r) => setTimeout(r, delay))]);
    await doomed.close();
    await outcome;
    count("kill");
    phaseFaults.push(`kill(${op} after ${delay} ms)`);
    if (options.trace) log(`    ${target.name} ${op} ${resource}: provider killed after ${delay} ms (${await outcome}); running it again`);
    // As the engine does after a crash, a new provider process runs it: its reads all come after
    // what the killed one left. (The surviving process could join a listing read that was already
    // in flight before the leftover existed, a case no real run has: a crash ends the whole \`up\`.)
    retired.push(host);
    host = await world.newHost();
    return traced(op, resource, run(host));
  };
  const engine = new EngineModel(world.vmUrn, runner, { keyOf: world.candidateKey, machineKey: world.machineKey, deleteOutOfBand: world.deleteOutOfBand });
  let failuresSeen = 0;

  const checkInvariants = (cycle: number, phase: string) => {
    // Numbered from 1, as the cycle lines are.
    const add = (kind: Violation["kind"], detail: string) => {
      result.violations.push({ target: target.name, cycle: cycle + 1, phase, kind, detail, faults: phaseFaults });
      log(`  VIOLATION ${target.name} cycle ${cycle + 1} ${phase}: ${kind}: ${detail} [faults: ${phaseFaults.join(", ") || "none"}]`);
    };
    const holders = engine.recorded().map((vm) => ({ key: world.machineKey(vm.id, vm.outputs), holder: vm.holder, deleteSent: vm.deleteSent }));
    // A machine whose delete failed (timed out while the cloud was removing it) may be gone: not lost.
    const beingDeleted = new Set(holders.filter((h) => h.deleteSent).map((h) => h.key));
    const recorded = holders.map((h) => h.key);
    const live = world.live();
    const liveKeys = new Set(live.map((m) => m.key));
    const recordedKeys = new Set(recorded);
    for (const m of live) {
      if (!recordedKeys.has(m.key) && !reported.has(`orphan ${m.key}`)) {
        reported.add(`orphan ${m.key}`);
        add("orphan", `machine ${m.key} ("${m.name}") exists but is not recorded in state`);
      }
    }
    const kept = world.kept();
    for (const key of recordedKeys) {
      if (!kept.has(key) && !beingDeleted.has(key) && !reported.has(`lost ${key}`)) {
        reported.add(`lost ${key}`);
        add("lost", `machine ${key} is recorded in state but no longer exists`);
      }
    }
    const seen = new Set<string>();
    for (const key of recorded) {
      if (seen.has(key) && !reported.has(`dup ${key}`)) {
        reported.add(`dup ${key}`);
        add("duplicate", `machine ${key} is recorded twice: ${holders.filter((h) => h.key === key).map((h) => h.holder).join(" and ")}`);
      }
      seen.add(key);
    }
    for (const f of engine.counters.failed.slice(failuresSeen)) {
      const why = unclearErrorReason(f.message, world.apiKeys);
      if (why) add("unclear error", `${f.op} ${f.resource}: ${why}: ${f.message.slice(0, 300)}`);
    }
    failuresSeen = engine.counters.failed.length;
  };

  const fleet = new Map<string, { size: number; variant: number }>();
  const desired = () => new Map<string, Props>([...fleet].map(([r, m]) => [r, world.vmInputs(Number(r.slice(3)), m.size, m.variant)]));

  try {
    for (const cycle of cycles) {
      const cycleStarted = Date.now();
      const opsBefore = engine.counters.operations;
      const failedBefore = engine.counters.failed.length;
      const remediedBefore = engine.counters.remedied;
      // Targets run side by side: count this target's own violations only.
      const ours = () => result.violations.filter((v) => v.target === target.name).length;
      const violationsBefore = ours();
      const cycleFaults: string[] = [];
      const rng = new SeededRandom(`${options.seed}:${target.name}:${cycle}`);
      const members = rng.int(2, 4);
      fleet.clear();
      for (let i = 0; i < members; i++) fleet.set(`vm-${i}`, { size: rng.int(0, 1), variant: 0 });
      for (const phase of PHASES) {
        const phaseRng = rng.fork(phase);
        phaseFaults = [];
        // Draw this phase's mix: each allowed kind armed with the same chance.
        let slow = false;
        kill = undefined;
        mutations = 0;
        for (const kind of allowed) {
          if (!phaseRng.chance(options.faultChance ?? 0.3)) continue;
          if (kind === "kill") kill = { at: phaseRng.int(1, members), rng: phaseRng.fork("kill") };
          else if (kind === "slowJobs") slow = true;
          else if (world.arm(kind, (a, b) => phaseRng.int(a, b))) phaseFaults.push(kind);
        }
        if (slow) {
          world.setTimeScale(20);
          phaseFaults.push("slowJobs");
          count("slowJobs");
        }
        if (phase === "update") {
          for (const m of fleet.values()) {
            const roll = phaseRng.next();
            if (roll < 0.4) m.variant++;
            else if (roll < 0.7 && replaces) m.size = 1 - m.size;
          }
        }
        if (phase === "destroy") fleet.clear();
        if (options.trace) log(`  ${target.name} cycle ${cycle + 1} ${phase}: faults ${phaseFaults.join(", ") || "none"}${kill ? `, kill at mutation ${kill.at}` : ""}`);
        if (phase === "refresh") await engine.refresh();
        else await engine.up(desired());
        for (const old of retired.splice(0)) await old.close();
        world.clearFaults();
        world.setTimeScale(world.fastTimeScale);
        if (phase === "destroy") world.endStuckJobs();
        for (const [knob, n] of Object.entries(world.takeFired())) {
          const kind = faultKindOfKnob(knob);
          if (kind) count(kind, n);
        }
        cycleFaults.push(...phaseFaults.map((f) => `${phase}:${f}`));
        options.beforeCheck?.(world, engine.recorded().map((vm) => world.machineKey(vm.id, vm.outputs)), phase);
        checkInvariants(cycle, phase);
      }
      result.cycles++;
      const failed = engine.counters.failed.length - failedBefore;
      log(
        `cycle ${cycle + 1}/${options.cycles} ${target.name}: ${members} VMs, ops ${engine.counters.operations - opsBefore}, failed ${failed}, ` +
          `adoptId/deleted after AMBIGUOUS_ADOPTION ${engine.counters.remedied - remediedBefore}, ` +
          `violations ${ours() - violationsBefore}, ${((Date.now() - cycleStarted) / 1000).toFixed(1)} s; faults ${cycleFaults.join(" ") || "none"}`,
      );
    }
    // Nothing may be left behind: destroy without faults, then the emulators must be empty.
    phaseFaults = ["none (final destroy)"];
    kill = undefined;
    await engine.up(new Map());
    checkInvariants(cycles[cycles.length - 1], "final destroy");
    // Recorded machines a delete could not remove are no orphans (checked above), but say so.
    const left = world.live();
    if (left.length) log(`  ${target.name}: ${left.length} recorded machine(s) could not be destroyed: ${left.map((m) => m.key).join(", ")}`);
  } finally {
    result.operations += engine.counters.operations;
    result.failedOperations += engine.counters.failed.length;
    logFailures(target.name, engine.counters.failed, log);
  }
}

/** The distinct errors seen (first words), so a run shows what the faults produced. */
function logFailures(target: string, failed: FailedOperation[], log: (line: string) => void): void {
  const counts = new Map<string, number>();
  for (const f of failed) {
    const key = `${f.op}: ${f.message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\b[0-9a-f]{16}\b|\d+/g, "#").slice(0, 160)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12)) log(`  ${target} failed ×${n}: ${k}`);
}

export function summaryLine(r: SoakResult): string {
  const faults = Object.values(r.faults).reduce((a, b) => a + (b ?? 0), 0);
  return `soak: cycles ${r.cycles}, operations ${r.operations}, faults ${faults}, violations ${r.violations.length}, wall ${r.wallSeconds} s`;
}
