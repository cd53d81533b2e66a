import { urn } from "../harness/dynamicHost";
import { API_KEY, CHEAPEST_H100, FluenceStack, PUBLIC_KEY, startFluenceStack } from "./fluenceStack";

// Many VMs created at once through ONE host, as `pulumi up` does for a fleet: the creates share
// their name look-ups, their plans read and their status polls (provider/fluence/client.ts),
// so the requests grow by two per VM (its deploy, and the one GET that returns its detail once
// the shared list shows it ACTIVE), not by six or more. No timing is asserted, only counts.

const N = 12;
// 180 emulated seconds of provisioning at ×60 = 3 s: the waiters poll at +1 s, +3 s and +7 s
// (1 s doubling), so up to three poll rounds happen while the instances are INITIALIZED.
const TIME_SCALE = 60;
const PROVISIONING_SECONDS = 180;

let stack: FluenceStack;
beforeAll(async () => {
  stack = await startFluenceStack({
    emulator: { timeScale: TIME_SCALE, provisioningSeconds: PROVISIONING_SECONDS, balance: 1_000_000, rateLimit: { limit: 100, windowMs: 60_000 } },
  });
});
afterAll(() => stack.close());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);

test(`${N} VMs created concurrently through one host share list calls, the plans read and status polls; 0 × 429`, async () => {
  const host = await stack.newHost({}, { "fluence:apiKey": API_KEY, "fluence:endpoint": stack.emulator.url, "fluence:requestsPerMinute": "100" });
  const names = Array.from({ length: N }, (_, i) => `fleet-${i + 1}`);
  const checked = await Promise.all(
    names.map(async (name) => {
      const c = await host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name, sshPublicKey: PUBLIC_KEY });
      expect(c.failures).toEqual([]);
      return c.inputs;
    }),
  );
  const before = stack.emulator.stats();
  const created = await Promise.all(checked.map((inputs) => host.create(u("vm"), inputs)));
  const after = stack.emulator.stats();
  const routes = (route: string) => (after.byRoute[route] ?? 0) - (before.byRoute[route] ?? 0);
  const requests = after.requests - before.requests;

  // Every VM is created once, ACTIVE, with the detail only a GET by id shows (nothing lost to batching).
  expect(created.map((c) => c.properties.name).sort()).toEqual([...names].sort());
  for (const c of created) {
    expect(c.properties).toMatchObject({ status: "ACTIVE", planId: CHEAPEST_H100.id, billing: { hourlyUsage: CHEAPEST_H100.pricePerHour } });
    expect(c.properties.sshConnection).toBe(`ssh ubuntu@${c.properties.ip}`);
  }
  const instances = stack.emulator.instances().filter((i) => names.includes(i.name));
  expect(instances).toHaveLength(N);
  expect(new Set(created.map((c) => c.id))).toEqual(new Set(instances.map((i) => i.id)));

  const deploys = routes("POST /gpu/instances/vms");
  const plansReads = routes("GET /gpu/plans/vms");
  const lists = routes("GET /gpu/instances/vms");
  const gets = routes("GET /gpu/instances/vms/:instance_id");
  const summary = { requests, deploys, plansReads, lists, gets, got429: after.rateLimited429 - before.rateLimited429 };
  expect(summary).toMatchObject({ deploys: N, got429: 0 });
  expect(deploys + plansReads + lists + gets).toBe(requests); // nothing else was sent
  // The creates arrive in one burst: their name look-ups share a listing and the deploys that
  // follow share one plans read; a second batch is allowed for creates straddling a 50 ms window.
  expect(plansReads).toBeLessThanOrEqual(2);
  // One GET per VM returns its detail once ACTIVE; a poll batch of a lone id is a GET too, at most
  // one per poll round (3) per batch window. Without batching each VM polled 3 times on its own.
  expect(gets).toBeLessThanOrEqual(N + 6);
  // Name look-ups (≤ 2) and poll rounds (3 rounds, each in a few 50 ms batches): a handful of
  // list calls, not one per VM.
  expect(lists).toBeLessThanOrEqual(10);
  // Before batching: N × (list + plans + deploy + 3 polls) = 6N = 72.
  expect(requests).toBeLessThanOrEqual(2 * N + 2 + 6 + 10);
}, 120_000);
