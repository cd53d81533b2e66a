import type { CloudStack } from "../harness/cloudStack";
import type { DynamicHost } from "../harness/dynamicHost";
import type { CloudUnderTest } from "./cloudsUnderTest";

// Several stacks, one API key: `processes` provider processes (one per stack, as the engine starts
// one per `pulumi up`) each create `vmsPerProcess` VMs at once against one emulated account under
// the cloud's rate limit. Each process only knows its own requests; what keeps them together is
// the cloud's X-RateLimit-* headers and Retry-After on a 429.

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface SharedKeyRun {
  processes: number;
  vmsPerProcess: number;
  /** Operations that failed (message each). */
  failed: string[];
  /** Requests the emulator answered during the ups, 429s included. */
  requests: number;
  rateLimited429: number;
  /** When each 429 was answered, ms after the ups started. */
  rateLimitedAtMs: number[];
  wallMs: number;
}

export async function runSharedKey(
  cloud: CloudUnderTest,
  stack: CloudStack<any>,
  opts: { processes: number; vmsPerProcess: number; rateLimit: RateLimit; shared: Record<string, unknown>; label: string },
): Promise<SharedKeyRun> {
  const config = {
    [`${cloud.cloud}:apiKey`]: stack.apiKey,
    [`${cloud.cloud}:endpoint`]: stack.emulator.url,
    [`${cloud.cloud}:requestsPerMinute`]: String(Math.floor((opts.rateLimit.limit * 60_000) / opts.rateLimit.windowMs)),
  };
  const hosts: DynamicHost[] = [];
  // The engine gives a create as long as it takes; waiting out a rate window takes a minute.
  for (let p = 0; p < opts.processes; p++) hosts.push(await stack.newHost({}, config, { callTimeoutMs: 600_000 }));
  const u = stack.urnOf(cloud.vmResource);
  const inputs = async (host: DynamicHost, name: string) => (await host.check(u, {}, { ...stack.byName(cloud.vmResource).inputs, ...opts.shared, name })).inputs;
  const checked = await Promise.all(hosts.map((h, p) => Promise.all(Array.from({ length: opts.vmsPerProcess }, (_, i) => inputs(h, `${opts.label}-p${p}-${i}`)))));

  // Windows and counters start together for every run.
  stack.emulator.setRateLimit({ ...opts.rateLimit, mode: "fixed" });
  const before = stack.emulator.stats();
  const failed: string[] = [];
  const created: { id: string; properties: Record<string, unknown> }[] = [];
  const started = Date.now();
  await Promise.all(
    hosts.map((host, p) =>
      Promise.all(
        checked[p].map(async (vm) => {
          try {
            const res = await host.create(u, vm);
            created.push(res);
          } catch (e) {
            failed.push((e as Error).message);
          }
        }),
      ),
    ),
  );
  const wallMs = Date.now() - started;
  const after = stack.emulator.stats();
  const limited = stack.emulator.requests().filter((r: { status: number; at: string }) => r.status === 429).map((r: { at: string }) => Date.parse(r.at) - started).filter((ms: number) => ms >= 0);
  stack.emulator.setRateLimit(null);
  await Promise.all(hosts.map((h) => h.close()));
  // Cleanup is not measured: one host without a request budget deletes everything.
  const cleaner = await stack.newHost({}, { ...config, [`${cloud.cloud}:requestsPerMinute`]: "100000" });
  await Promise.all(created.map((c) => cleaner.delete(c.id, u, c.properties)));
  await cleaner.close();
  return {
    processes: opts.processes,
    vmsPerProcess: opts.vmsPerProcess,
    failed,
    requests: after.requests - before.requests,
    rateLimited429: after.rateLimited429 - before.rateLimited429,
    rateLimitedAtMs: limited,
    wallMs,
  };
}
