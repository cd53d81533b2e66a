import type { DynamicHost, Props } from "../harness/dynamicHost";
import { HostCallError } from "../harness/hostCallError";
import { EngineModel, type OperationRunner } from "./engineModel";
import { runSoak, summaryLine, unclearErrorReason } from "./soak";
import { SeededRandom } from "./seededRandom";
import { FAULT_KINDS, faultKindOfKnob } from "./soakTargets";

// A short seeded chaos soak in every `npm test`: two cycles (up, refresh, update/replace,
// destroy) per target with faults drawn from the seed, every invariant checked after each phase.
// The long run is `npm run soak` (bench/RESULTS.md). Excluded here, and why:
// - stuckJob and slowJobs: each costs a createTimeoutSeconds wait or more; the long run has them.
// Every other fault kind runs on every target (Nova's lostResponse, 5xx, reset and kill were excluded
// as known bugs until the adoption rules of issues 20/21 landed).

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
