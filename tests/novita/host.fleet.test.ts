import { NovitaStack, startNovitaStack } from "./novitaStack";

// Many instances created at once through ONE host (the engine runs a stack's creates in
// parallel, all in one host process) share the client's look-ups: one /products read for the
// same filter, one name listing before the creates, and one /gpu/instances listing per round of
// status polls instead of one GET per instance per poll.

const N = 12;
const API = "/gpu-instance/openapi/v1";

let stack: NovitaStack;
beforeAll(async () => {
  // ×60 with 150 s pulling: ~2.5 s real from create to running, so the polls go through at least
  // one round in which the listing still shows every instance starting.
  stack = await startNovitaStack({ emulator: { timeScale: 60, provisioningSeconds: 150, rateLimit: { limit: 100, windowMs: 60_000 } } });
});
afterAll(() => stack.close());

test(`${N} instances created concurrently through one host share their reads`, async () => {
  const urn = stack.urnOf("vm");
  const base = stack.byName("vm").inputs;
  const names = Array.from({ length: N }, (_, i) => `fleet-${i + 1}`);
  const checked = await Promise.all(names.map((name) => stack.host.check(urn, {}, { ...base, name })));
  expect(checked.flatMap((c) => c.failures)).toEqual([]);

  const before = stack.emulator.stats();
  const created = await Promise.all(checked.map((c) => stack.host.create(urn, c.inputs)));
  const after = stack.emulator.stats();
  const routes = (key: string) => (after.byRoute[key] ?? 0) - (before.byRoute[key] ?? 0);

  // All created, each once, and each with what only GET /gpu/instance shows.
  expect(new Set(created.map((c) => c.id)).size).toBe(N);
  for (const [i, c] of created.entries()) {
    expect(c.properties).toMatchObject({ name: names[i], status: "running", productId: "4090.16c62g", pricePerHourUsd: 0.35 });
    expect(c.properties.sshCommand).toMatch(/^ssh root@/);
    expect(c.properties.sshPassword).toBeTruthy();
    expect(c.properties.portMappings).toEqual([expect.objectContaining({ port: 8080, endpoint: expect.stringMatching(/:\d+$/) })]);
  }
  for (const name of names) expect(stack.emulator.instances().filter((i) => i.name === name).map((i) => i.status)).toEqual(["running"]);

  expect(after.rateLimited429 - before.rateLimited429).toBe(0);
  expect(routes(`POST ${API}/gpu/instance/create`)).toBe(N);
  // One read of the same product filter for all of them (it was one per create).
  expect(routes(`GET ${API}/products`)).toBe(1);
  // One GET per instance, once the listing shows it running: outputs need what only GET shows.
  // (Before: one GET per instance per poll, every poll.) A waiter polled alone is read with GET
  // instead of a listing, so allow a few more.
  expect(routes(`GET ${API}/gpu/instance`)).toBeLessThanOrEqual(N + 3);
  // The name look-ups before the creates and the rounds of polls: a handful of listings, not N.
  expect(routes(`GET ${API}/gpu/instances`)).toBeLessThanOrEqual(6);
  // In all: N creates + N full reads + 1 products read + a handful of listings (≥ 3N + 2 before:
  // N products reads, N creates, ≥ N polls after the first, one name listing).
  expect(after.requests - before.requests).toBeLessThanOrEqual(2 * N + 7);
}, 60_000);
