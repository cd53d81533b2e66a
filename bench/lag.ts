import type { Props } from "../tests/harness/dynamicHost";
import type { BenchCloud } from "./clouds";
import type { BenchStack } from "./stack";
import { max, median, percentile } from "./stats";
import { fmt, ratio, type Row } from "./table";

// Lag from the cloud finishing a VM to create returning, and HTTP requests per create, for a
// 3-minute emulated provisioning run at a time scale. Ours: through the dynamic-provider host,
// one create alone (its requests), then 20 creates in concurrent groups (their lag). Naive: the
// same, with its schedule run in emulated time (delays ÷ time scale) so it polls a 3-minute job
// as it would a real one; its lag is converted back to real-job seconds.

export const TIME_SCALE = 60;
export const PROVISIONING_SECONDS = 180;
const CREATES = 20;
const GROUP = 5;
const RATE_LIMIT = { limit: 100, windowMs: 60_000 };

/** A created VM's state, reused by the preview benchmark as "the stack as it is". */
export interface StateTemplate {
  id: string;
  inputs: Props;
  outputs: Props;
}

export async function benchLag(cloud: BenchCloud, stack: BenchStack): Promise<{ rows: Row[]; template: StateTemplate; programInputs: (name: string) => Props }> {
  const provisioningMs = (PROVISIONING_SECONDS * 1000) / TIME_SCALE;
  const emu = await cloud.startEmulator({ timeScale: TIME_SCALE, provisioningSeconds: PROVISIONING_SECONDS, rateLimit: RATE_LIMIT });
  const naiveEmu = await cloud.startEmulator({ timeScale: TIME_SCALE, provisioningSeconds: PROVISIONING_SECONDS, rateLimit: null });
  try {
    const host = await stack.newHost(cloud.config(emu), { envPrefix: cloud.envPrefix, callTimeoutMs: 60_000 });
    const vmInputs = await cloud.prepareVms(stack, host);
    const vmTemplate = cloud.resourceNames[cloud.vmType];

    const createOne = async (name: string) => {
      const urn = stack.urnOf(vmTemplate, name);
      const checked = await host.check(urn, {}, vmInputs(name));
      if (checked.failures.length) throw new Error(`bench: check of ${name} failed: ${JSON.stringify(checked.failures)}`);
      const created = await host.create(urn, checked.inputs);
      const returnedAt = Date.now();
      const completedAt = emu.completedAt(created.id);
      if (completedAt === null) throw new Error(`bench: create of ${name} returned before the cloud finished the VM`);
      return { lag: returnedAt - completedAt, template: { id: created.id, inputs: checked.inputs, outputs: created.properties } };
    };

    // Requests of one create, alone.
    const before = emu.requestCount();
    const routesBefore = emu.byRoute();
    const single = await createOne(`${cloud.name}-single`);
    const ourRequests = emu.requestCount() - before;
    const ourRoutes = routeDelta(routesBefore, emu.byRoute());

    // Lag over 20 creates in concurrent groups.
    const ourLags: number[] = [];
    for (let g = 0; g < CREATES; g += GROUP) {
      const group = await Promise.all(Array.from({ length: Math.min(GROUP, CREATES - g) }, (_, i) => createOne(`${cloud.name}-lag-${g + i + 1}`)));
      ourLags.push(...group.map((r) => r.lag));
    }
    await host.close();

    // The naive baseline: one alone (requests), then 20 at once (lag; independent pollers).
    const naive = await cloud.naive(naiveEmu);
    const deadlineAt = () => Date.now() + provisioningMs * 3 + 10_000;
    const naiveBefore = naiveEmu.requestCount();
    const naiveSingle = await naive.create(`${cloud.name}-naive-single`, { scheduleScale: TIME_SCALE, deadlineAt: deadlineAt() });
    const naiveRequests = naiveEmu.requestCount() - naiveBefore;
    const naiveRuns = await Promise.all(
      Array.from({ length: CREATES }, (_, i) => naive.create(`${cloud.name}-naive-lag-${i + 1}`, { scheduleScale: TIME_SCALE, deadlineAt: deadlineAt() })),
    );
    const failedNaive = [naiveSingle, ...naiveRuns].filter((r) => !r.ok);
    const naiveLags = naiveRuns.filter((r) => r.ok).map((r) => {
      // The poll that saw the VM ready was sent after scaled sleeps: its distance from completion
      // is emulated time (× scale); the requests after it took real time.
      const completedAt = naiveEmu.completedAt(r.vmId!) ?? NaN;
      return Math.max(0, r.readyPollDueAt! - completedAt) * TIME_SCALE + (r.returnedAt - r.readyPollDueAt!);
    });

    const ourMedian = median(ourLags);
    const naiveMedian = median(naiveLags);
    const rows: Row[] = [
      {
        cloud: cloud.name,
        metric: `create lag after the VM is ready (median of ${CREATES}, 3-min job at ×${TIME_SCALE})`,
        ours: fmt.ms(ourMedian),
        baseline: fmt.ms(naiveMedian),
        ratio: ratio(ourMedian, naiveMedian),
        target: "≤ 0.5 s",
        met: ourMedian <= 500,
        note:
          `ours p90 ${fmt.ms(percentile(ourLags, 90))}, max ${fmt.ms(max(ourLags))} (${CREATES / GROUP} groups of ${GROUP} concurrent creates in one host; lag = create RPC returned − job completedAt); ` +
          `naive p90 ${fmt.ms(percentile(naiveLags, 90))}, max ${fmt.ms(max(naiveLags))} in real-job seconds (schedule run ÷${TIME_SCALE}, poll-to-completion gap ×${TIME_SCALE})` +
          (failedNaive.length ? `; ${failedNaive.length} naive create(s) failed: ${failedNaive[0].error}` : ""),
      },
      {
        cloud: cloud.name,
        metric: "HTTP requests per create (one create alone, 3-min job)",
        ours: fmt.n(ourRequests),
        baseline: fmt.n(naiveRequests),
        ratio: ratio(ourRequests, naiveRequests),
        target: "≤ 6",
        met: ourRequests <= 6,
        note: `ours: ${formatRoutes(ourRoutes)}; single create's lag ${fmt.ms(single.lag)}`,
      },
    ];
    return { rows, template: single.template, programInputs: vmInputs };
  } finally {
    await emu.close();
    await naiveEmu.close();
  }
}

export function routeDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
}

export function formatRoutes(routes: Record<string, number>): string {
  return Object.entries(routes).map(([k, v]) => `${v}× ${k.replace(/^(\S+) \/v1/, "$1 ")}`).join(", ");
}
