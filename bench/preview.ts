import type { DynamicHost, Props } from "../tests/harness/dynamicHost";
import type { BenchCloud, BenchEmulator } from "./clouds";
import { EMPTY_RESOURCE } from "./emptyProvider";
import { hostRssBytes } from "./hostRss";
import type { StateTemplate } from "./lag";
import type { BenchStack } from "./stack";
import { median } from "./stats";
import { fmt, ratio, type Row } from "./table";

// A preview of an existing stack of 100 VMs: the engine sends Check then Diff for each resource,
// in parallel, to a fresh host. Must answer within 1 s in total without a single request to the
// cloud. The empty provider on its own fresh host is the floor.

const RESOURCES = 100;
const TRIALS = 3;

async function previewAll(host: DynamicHost, n: number, step: (i: number) => { urn: string; id: string; olds: Props; oldInputs: Props; news: Props }) {
  const t0 = performance.now();
  const diffs = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const s = step(i);
      const checked = await host.check(s.urn, s.oldInputs, s.news);
      if (checked.failures.length) throw new Error(`bench: preview check failed: ${JSON.stringify(checked.failures)}`);
      return host.diff(s.id, s.urn, s.olds, checked.inputs, s.oldInputs);
    }),
  );
  return { ms: performance.now() - t0, unchanged: diffs.filter((d) => d.changes === "DIFF_NONE").length };
}

export async function benchPreview(
  cloud: BenchCloud,
  stack: BenchStack,
  empty: BenchStack,
  quietEmulator: BenchEmulator,
  state: StateTemplate,
  programInputs: (name: string) => Props,
): Promise<{ row: Row; emptyRssBytes: number }> {
  const template = cloud.resourceNames[cloud.vmType];
  const inputs = empty.byName(EMPTY_RESOURCE).inputs;
  const ours: number[] = [];
  const base: number[] = [];
  let requests = 0;
  let unchanged = 0;
  let emptyRssBytes = NaN;
  for (let trial = 0; trial < TRIALS; trial++) {
    const host = await stack.newHost(cloud.config(quietEmulator), { envPrefix: cloud.envPrefix });
    const emptyHost = await empty.newHost({});
    try {
      const before = quietEmulator.requestCount();
      const run = await previewAll(host, RESOURCES, (i) => {
        const name = `${cloud.name}-preview-${i + 1}`;
        return {
          urn: stack.urnOf(template, name),
          id: `${state.id}-${i + 1}`,
          olds: { ...state.outputs, name },
          oldInputs: { ...state.inputs, name },
          news: programInputs(name),
        };
      });
      requests += quietEmulator.requestCount() - before;
      unchanged = Math.min(trial === 0 ? RESOURCES : unchanged, run.unchanged);
      ours.push(run.ms);
      const floor = await previewAll(emptyHost, RESOURCES, (i) => ({
        urn: empty.urnOf(EMPTY_RESOURCE, `preview-${i + 1}`),
        id: `empty-${i + 1}`,
        olds: inputs,
        oldInputs: inputs,
        news: inputs,
      }));
      base.push(floor.ms);
      emptyRssBytes = hostRssBytes(emptyHost);
    } finally {
      await host.close();
      await emptyHost.close();
    }
  }
  const o = median(ours);
  const e = median(base);
  const row: Row = {
    cloud: cloud.name,
    metric: `preview: Check + Diff of ${RESOURCES} existing VMs on a fresh host (median of ${TRIALS})`,
    ours: `${fmt.ms(o)}, ${requests} requests`,
    baseline: `${fmt.ms(e)} (empty provider)`,
    ratio: ratio(o, e),
    // Check resolves each VM's hourly price from the cloud's offers, one cached lookup per process:
    // a fresh host per trial may send one request, no more (GPCN's prices come from config).
    target: "≤ 1 s, ≤ 1 price lookup per host",
    met: o <= 1000 && requests <= TRIALS,
    note: `runs ${ours.map((x) => fmt.ms(x)).join(", ")} (empty: ${base.map((x) => fmt.ms(x)).join(", ")}); ${unchanged}/${RESOURCES} diffs answered DIFF_NONE (the state matches the program)`,
  };
  return { row, emptyRssBytes };
}
