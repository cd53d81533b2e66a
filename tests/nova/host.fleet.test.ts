import { startNovaEmulator, type NovaEmulator } from "../../emulator";
import { urn, type DynamicHost } from "../harness/dynamicHost";
import { API_KEY, NovaStack, startNovaStack, TEST_EMULATOR } from "./novaStack";

// Many VMs created at once in ONE host process (what `pulumi up` does with a fleet): Nova has no
// batch create and its create takes no name, so a POST and a label PATCH per VM are the API's
// floor; everything else (the label look-up before creating, the /search read, the status polls)
// is shared between the VMs. Counted, not timed.

const N = 12;
// 3 s of provisioning (1800 s at ×600), so every VM is polled a few times before it runs.
const PROVISIONING_SECONDS = 1800;

let stack: NovaStack;
let host: DynamicHost;
let keyId = "";

beforeAll(async () => {
  stack = await startNovaStack({
    emulator: { provisioningSeconds: PROVISIONING_SECONDS, rateLimit: { limit: 100, windowMs: 60_000 }, account: { balance: 10_000, maxVms: 50, maxHourlySpend: 500 } },
  });
  // The host keeps to Nova's (emulated) budget as a user would configure it.
  host = await stack.newHost({}, { "nova:apiKey": API_KEY, "nova:endpoint": stack.emulator.url, "nova:requestsPerMinute": "100" });
  keyId = (await host.create(u("key"), stack.byName("key").inputs)).id;
});
afterAll(() => stack.close());

function u(name: string) {
  return urn(stack.program.project, "test", stack.byName(name).type, name);
}

async function checked(name: string, extra: Record<string, unknown>) {
  const c = await host.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: keyId, name, ...extra });
  expect(c.failures).toEqual([]);
  return c.inputs;
}

const routes = () => ({ ...stack.emulator.stats().byRoute });
const delta = (before: Record<string, number>, after: Record<string, number>, route: string) => (after[route] ?? 0) - (before[route] ?? 0);

test(`${N} VMs created concurrently through one host share their reads: 2 requests per VM + a few shared reads, no 429`, async () => {
  // 8 × 5090 on a declared node (vm03 has 8) and 4 × 4090 on the cheapest node (vm02 has 4): both placements.
  const inputs = await Promise.all(
    Array.from({ length: N }, (_, i) => (i < 8 ? checked(`fleet-${i + 1}`, { gpuType: "RTX 5090", node: "vm03" }) : checked(`fleet-${i + 1}`, {}))),
  );
  const before = routes();
  const requestsBefore = stack.emulator.stats().requests;
  const limitedBefore = stack.emulator.stats().rateLimited429;

  const created = await Promise.all(inputs.map((i) => host.create(u("vm"), i)));

  const after = routes();
  const requests = stack.emulator.stats().requests - requestsBefore;
  expect(created.map((c) => c.properties.status)).toEqual(Array(N).fill("running"));
  expect(created.map((c) => c.properties.instanceLabel).sort()).toEqual(inputs.map((i) => i.name).sort());
  expect(created.filter((c) => c.properties.node === "vm03").map((c) => c.properties.gpuType)).toEqual(Array(8).fill("RTX 5090"));
  expect(stack.emulator.vms().filter((v) => v.node === "vm03").map((v) => v.gpu_type)).toEqual(Array(8).fill("5090")); // /search's spelling was sent
  expect(stack.emulator.vms()).toHaveLength(N); // never a duplicate
  expect(stack.emulator.stats().rateLimited429 - limitedBefore).toBe(0);

  // What the API makes per VM: one POST and one label PATCH each.
  expect(delta(before, after, "POST /vms")).toBe(N);
  expect(delta(before, after, "PATCH /vms/:id")).toBe(N);
  // The /search read is shared by the creates asking at once (and a declared node needs it only
  // for the GPU type's spelling, remembered once seen): at most 2, not one per VM.
  expect(delta(before, after, "GET /search")).toBeLessThanOrEqual(2);
  // Status polls: a VM is polled ~3 times in 3 s of provisioning (after 1, 2 and 4 s); the polls of
  // VMs waiting at the same moment are one GET /vms (12 VMs: one page), and GET /vms/{id} is used
  // only by a VM polling alone. One GET per VM per poll would be ≥ 2 × 12 = 24 reads (36 with the
  // third poll); shared, the label look-up (1) + the poll rounds (2–3 seen; slack for a slow
  // machine splitting a round) stay within 8, independent of N. Measured: 1 + 2, 28 requests in all.
  const reads = delta(before, after, "GET /vms") + delta(before, after, "GET /vms/:id");
  expect(reads).toBeLessThanOrEqual(8);
  expect(delta(before, after, "GET /vms/:id")).toBeLessThan(N);
  expect(requests).toBeLessThanOrEqual(2 * N + 2 + 8);

  // A refresh of the whole fleet reads one listing, not one GET per VM.
  const beforeRead = routes();
  const read = await Promise.all(created.map((c, i) => host.read(c.id, u("vm"), c.properties, inputs[i])));
  expect(read.map((r) => r.properties.status)).toEqual(Array(N).fill("running"));
  const afterRead = routes();
  expect(delta(beforeRead, afterRead, "GET /vms") + delta(beforeRead, afterRead, "GET /vms/:id")).toBeLessThanOrEqual(2);

  await Promise.all(created.map((c) => host.delete(c.id, u("vm"), c.properties)));
  expect(stack.emulator.vms()).toEqual([]);
});

describe("a Nova without GET /vms", () => {
  let bare: NovaEmulator;
  let bareHost: DynamicHost;
  beforeAll(async () => {
    bare = await startNovaEmulator({ ...TEST_EMULATOR, provisioningSeconds: PROVISIONING_SECONDS, unsupportedRoutes: ["GET /vms"] });
    bareHost = await stack.newHost({}, { "nova:apiKey": API_KEY, "nova:endpoint": bare.url });
  });
  afterAll(async () => {
    await bareHost.close();
    await bare.close();
  });

  test("concurrent creates fall back to one GET /vms/{id} per VM, and the missing list route is asked for once", async () => {
    const key = await bareHost.create(u("key"), stack.byName("key").inputs);
    const inputs = await Promise.all(
      [1, 2, 3].map(async (i) => (await bareHost.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: key.id, name: `bare-fleet-${i}`, gpuType: "5090", node: "vm04" })).inputs),
    );
    const created = await Promise.all(inputs.map((i) => bareHost.create(u("vm"), i)));
    expect(created.map((c) => c.properties.status)).toEqual(["running", "running", "running"]);
    expect(bare.vms()).toHaveLength(3);
    expect(bare.stats().byRoute["GET /vms"] ?? 0).toBeLessThanOrEqual(1);
    expect(bare.stats().byRoute["GET /vms/:id"] ?? 0).toBeGreaterThanOrEqual(3);
    await Promise.all(created.map((c) => bareHost.delete(c.id, u("vm"), c.properties)));
  });
});
