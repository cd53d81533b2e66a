import type { DynamicHost, Props } from "../harness/dynamicHost";
import { HostCallError } from "../harness/hostCallError";
import { EngineModel, type OperationRunner } from "./engineModel";
import { soakCli } from "./cli";
import { runSoak, summaryLine, unclearErrorReason, type SoakResult } from "./soak";
import { SeededRandom } from "./seededRandom";
import { FAULT_KINDS, faultKindOfKnob } from "./soakTargets";

// A short seeded chaos soak in every `npm test`: two cycles (up, refresh, update/replace,
// destroy) per target with faults drawn from the seed, every invariant checked after each phase.
// The long run is `npm run soak` (bench/RESULTS.md). Excluded here, and why:
// - stuckJob and slowJobs: each costs a createTimeoutSeconds wait or more; the long run has them.
// Every other fault kind runs on every target (Nova's lostResponse, 5xx, reset and kill were excluded
// as known bugs until the adoption rules landed: one create taking another's unlabelled VM).

jest.setTimeout(180_000);

const SEED = "npm-test-1";
test(`soak: 2 cycles per target, seed ${SEED}: 0 orphans, 0 lost, 0 duplicates, every error clear`, async () => {
  const lines: string[] = [];
  const result = await runSoak({
    cycles: 10,
    seed: SEED,
    faults: FAULT_KINDS.filter((k) => k !== "stuckJob" && k !== "slowJobs"),
    faultChance: 0.4,
    log: (l) => lines.push(l),
  });
  const summary = summaryLine(result);
  expect({ summary, violations: result.violations, log: result.violations.length ? lines : [] }).toEqual({ summary, violations: [], log: [] });
  expect(result.cycles).toBe(10);
  // The run did meet faults and failures, or it proved nothing.
  expect(Object.values(result.faults).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(10);
  expect(result.operations).toBeGreaterThan(40);
});

describe("the command: npm run soak -- --cycles N --seed S [--cloud C]", () => {
  const LAST_LINE = /^soak: cycles \d+, operations \d+, faults \d+, violations \d+, wall \d+ s$/;
  const cli = async (argv: string[], run?: typeof runSoak) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await soakCli(argv, (l) => out.push(l), run, (l) => err.push(l));
    return { code, out, err };
  };

  test("a recorded machine deleted behind the soak's back is a violation: named with its cycle, phase and seed's rerun, the last line counts it, exit 1", async () => {
    let deleted: string | undefined;
    const sabotaged: typeof runSoak = (options) =>
      runSoak({
        ...options,
        faults: [],
        beforeCheck: (world, recorded, phase) => {
          if (phase !== "up" || deleted) return;
          deleted = recorded[0];
          world.deleteOutOfBand(deleted);
        },
      });
    const { code, out } = await cli(["--cycles", "1", "--seed", "broken-1", "--cloud", "gpcn"], sabotaged);
    expect(deleted).toBeDefined();
    expect(out[0]).toBe("soak: seed broken-1, 1 cycles, gpcn (rerun: npm run soak -- --cycles 1 --seed broken-1 --cloud gpcn)");
    expect(out).toContainEqual(`violation: gpcn cycle 1 up: lost: machine ${deleted} is recorded in state but no longer exists [faults: none]`);
    expect(out[out.length - 1]).toMatch(LAST_LINE);
    expect(out[out.length - 1]).toMatch(/^soak: cycles 1, operations \d+, faults 0, violations 1, wall \d+ s$/);
    expect(code).toBe(1);
  });

  test("no violation: exit 0 with the summary last; bad arguments: exit 2 with the usage, nothing run", async () => {
    const clean: SoakResult = { seed: "s", cycles: 3, operations: 40, failedOperations: 2, faults: { "429": 4, kill: 1 }, violations: [], wallSeconds: 12 };
    const runs: unknown[] = [];
    const fake: typeof runSoak = async (o) => (runs.push(o), clean);
    const ok = await cli(["--cycles=3", "--seed", "s"], fake);
    expect(ok.out[ok.out.length - 1]).toBe("soak: cycles 3, operations 40, faults 5, violations 0, wall 12 s");
    expect(ok.out[ok.out.length - 1]).toMatch(LAST_LINE);
    expect(ok.code).toBe(0);
    for (const argv of [["--cycles", "0"], ["--cycles", "2", "--cloud", "aws"], ["--cycles"], ["--fast"]]) {
      const bad = await cli(argv, fake);
      expect({ argv, code: bad.code, usage: bad.err.join("\n") }).toEqual({ argv, code: 2, usage: expect.stringContaining("usage: npm run soak -- --cycles N") });
    }
    expect(runs).toHaveLength(1);
  });
});

describe("soak parts", () => {
  test("the same seed draws the same numbers; another seed does not", () => {
    const draw = (seed: string) => Array.from({ length: 5 }, ((r) => () => r.int(0, 1000))(new SeededRandom(seed)));
    expect(draw("a")).toEqual(draw("a"));
    expect(draw("a")).not.toEqual(draw("b"));
  });

  test("unclear errors: our own crashes, hangs, empty words and the key; a cloud's reason is clear", () => {
    const key = "gpcn_test_key_7f3a9c2e5b1d";
    expect(unclearErrorReason("TypeError: Cannot read properties of undefined (reading 'id')", [key])).toBeDefined();
    expect(unclearErrorReason("create did not answer within 180000 ms", [key])).toBeDefined();
    expect(unclearErrorReason("Error", [key])).toBeDefined();
    expect(unclearErrorReason(`GPCN: POST /resource/gpu failed: bad key ${key}`, [key])).toBe("contains the API key");
    expect(unclearErrorReason("GPCN: POST /resource/gpu failed: Inventory depleted [HTTP 400]", [key])).toBeUndefined();
  });

  test("AMBIGUOUS_ADOPTION is answered as the README says: one named machine → adoptId and up again; several → deleted, up again", async () => {
    const ambiguous = (ids: string[]) =>
      new HostCallError("create", `gpcn:GpuVm "a": found a machine of the same identity that no resource of this run records: ${ids.join(", ")}. Nothing was created, to avoid a second machine. If it is this resource's machine, set \`adoptId\` to its id and run \`pulumi up\` again; otherwise delete it, then run again. [code AMBIGUOUS_ADOPTION]`, 9);
    const creates: Props[] = [];
    const failFirst: Record<string, string[]> = { a: ["left-1"], b: ["left-2", "left-3"] };
    const host = {
      check: async (_urn: string, _olds: Props, news: Props) => ({ inputs: news, failures: [] }),
      create: async (_urn: string, inputs: Props) => {
        creates.push(inputs);
        const ids = failFirst[inputs.name];
        if (ids) {
          delete failFirst[inputs.name];
          throw ambiguous(ids);
        }
        return { id: inputs.adoptId ?? `new-${inputs.name}`, properties: inputs };
      },
    } as unknown as DynamicHost;
    const run: OperationRunner = (_op, _resource, call) => call(host);
    const deleted: string[] = [];
    const engine = new EngineModel("urn", run, { keyOf: (c) => c, machineKey: (id) => id, deleteOutOfBand: (k) => void deleted.push(k) });
    await engine.up(new Map([["a", { name: "a" }], ["b", { name: "b" }]]));
    expect(creates.map((c) => [c.name, c.adoptId])).toEqual([["a", undefined], ["b", undefined], ["a", "left-1"], ["b", undefined]]);
    expect(deleted).toEqual(["left-2", "left-3"]);
    expect([...engine.state].map(([r, vm]) => [r, vm.id])).toEqual([["a", "left-1"], ["b", "new-b"]]);
    expect(engine.counters.remedied).toBe(2);
  });

    test("every emulator knob the soak arms is counted under a fault kind", () => {
    for (const knob of ["rateLimitBurst", "serverErrorBurst", "connectionResetBurst", "loseCreateResponse", "loseDeployResponse", "failNextJobs", "failNextCreates", "failNextStarts", "failNextDeploys", "stuckNextJobs", "stuckNextDeploys", "capacityNextCreates", "rejectNextCreates", "planGoneNextDeploys"]) {
      expect({ knob, kind: faultKindOfKnob(knob) }).toEqual({ knob, kind: expect.any(String) });
    }
  });
});
