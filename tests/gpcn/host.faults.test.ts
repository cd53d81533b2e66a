import { HostCallError, urn } from "../harness/dynamicHost";
import { API_KEY, GpcnStack, startGpcnStack } from "./gpcnStack";

// What a flaky cloud does to `pulumi up`: never a second GPU, never a lost one.

let stack: GpcnStack;
let keyId = "";
beforeAll(async () => {
  stack = await startGpcnStack();
  const key = await stack.host.create(u("key"), { ...stack.byName("key").inputs });
  keyId = key.id;
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.faults.clear());

function u(name: string) {
  return urn(stack.program.project, "test", stack.byName(name).type, name);
}

async function vmInputs(name: string, extra: Record<string, unknown> = {}) {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: keyId, name, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

const vmsNamed = (name: string) => stack.emulator.vms().filter((v) => v.name === name);

test("429 burst with Retry-After: create succeeds and nothing is resent before Retry-After", async () => {
  stack.emulator.faults.set("rateLimitBurst", { count: 2, retryAfterSec: 1, pathPrefix: "/v1/resource/gpu" });
  const inputs = await vmInputs("rl-1");
  const created = await stack.host.create(u("vm"), inputs);
  expect(created.properties.status).toBe("Running");
  expect(vmsNamed("rl-1")).toHaveLength(1);
  const log = stack.emulator.requests().filter((r) => r.path.startsWith("/v1/resource/gpu"));
  const limited = log.filter((r) => r.status === 429);
  expect(limited).toHaveLength(2);
  const next = log[log.indexOf(limited[1]) + 1];
  expect(Date.parse(next.at) - Date.parse(limited[1].at)).toBeGreaterThanOrEqual(1000 - 5);
});

test("5xx burst and connection resets on reads: succeeds after retries", async () => {
  const inputs = await vmInputs("flaky-reads");
  stack.emulator.faults.set("serverErrorBurst", { count: 2, status: 502, html: true, method: "GET" });
  stack.emulator.faults.set("connectionResetBurst", { count: 1, method: "GET" });
  const created = await stack.host.create(u("vm"), inputs);
  expect(created.properties.status).toBe("Running");
  expect(stack.emulator.stats().faultsFired).toMatchObject({ serverErrorBurst: 2, connectionResetBurst: 1 });
});

test("lost create response: exactly one VM, and it is the one recorded", async () => {
  stack.emulator.faults.set("loseCreateResponse", { count: 1 });
  const created = await stack.host.create(u("vm"), await vmInputs("lost-1"));
  expect(vmsNamed("lost-1").map((v) => v.id)).toEqual([created.id]);
});

test("connection reset on the create POST before GPCN acted: sent again once, one VM", async () => {
  stack.emulator.faults.set("connectionResetBurst", { count: 1, method: "POST", pathPrefix: "/v1/resource/gpu" });
  const created = await stack.host.create(u("vm"), await vmInputs("reset-1"));
  expect(vmsNamed("reset-1").map((v) => v.id)).toEqual([created.id]);
});

test("job failure: partial create carrying the VM id, the inputs and the cloud's reason", async () => {
  stack.emulator.faults.set("failNextJobs", { count: 1, message: "Quota exceeded" });
  const inputs = await vmInputs("fails-1");
  const err: HostCallError = await stack.host.create(u("vm"), inputs).catch((e) => e);
  const [vm] = vmsNamed("fails-1");
  expect(err.message).toContain("Quota exceeded");
  expect(err.initFailed?.id).toBe(vm.id);
  expect(err.initFailed?.properties).toMatchObject({ name: "fails-1", __provider: inputs.__provider, gpuCount: 1 });
  expect(err.initFailed?.reasons.join("\n")).toContain("Quota exceeded");
  // It is recorded, so `pulumi destroy` can remove it.
  await stack.host.delete(vm.id, u("vm"), err.initFailed!.properties);
  expect(vmsNamed("fails-1")).toEqual([]);
});

test("job never completes: partial create at the deadline with what the waiter saw", async () => {
  stack.emulator.faults.set("stuckNextJobs", { count: 1 });
  const err: HostCallError = await stack.host.create(u("vm"), await vmInputs("stuck-1", { createTimeoutSeconds: 2 })).catch((e) => e);
  const [vm] = vmsNamed("stuck-1");
  expect(err.initFailed?.id).toBe(vm.id);
  expect(err.message).toMatch(/timed out after 2s/);
  expect(err.message).toMatch(/poll\(s\) over/);
  expect(err.initFailed?.reasons.join("\n")).toContain("createTimeoutSeconds (2) passed");
  await stack.host.delete(vm.id, u("vm"), err.initFailed!.properties);
});

test("capacity (409 inventory depleted, 503 unavailable): fails at the POST, typed, no wait, no VM", async () => {
  for (const knob of ["capacityNextCreates", "unavailableNextCreates"] as const) {
    stack.emulator.faults.set(knob, { count: 1 });
    const before = stack.emulator.stats().byRoute["POST /v1/resource/gpu"] ?? 0;
    const err: HostCallError = await stack.host.create(u("vm"), await vmInputs(`cap-${knob}`)).catch((e) => e);
    expect(err.message).toMatch(/Inventory depleted|GPU provider not available/);
    expect(err.initFailed).toBeUndefined();
    expect(vmsNamed(`cap-${knob}`)).toEqual([]);
    expect((stack.emulator.stats().byRoute["POST /v1/resource/gpu"] ?? 0) - before).toBe(1);
  }
});

test("host killed mid-create, the same create again: one VM, adopted", async () => {
  stack.emulator.setTimeScale(1); // 180 s: the first host dies long before
  const inputs = await vmInputs("crash-1");
  const first = await stack.newHost();
  const dying = first.create(u("vm"), inputs).catch((e) => e);
  await first.waitForOutput(/gpcn:GpuVm "crash-1"/, 10_000);
  expect(vmsNamed("crash-1")).toHaveLength(1);
  await first.close();
  await dying;
  stack.emulator.setTimeScale(600);
  const second = await stack.newHost();
  const created = await second.create(u("vm"), inputs);
  expect(vmsNamed("crash-1").map((v) => v.id)).toEqual([created.id]);
  await second.waitForOutput(/crash-1": adopting the existing machine/);
  await second.close();
});

test("VM deleted out of band, then refresh: reported gone", async () => {
  const created = await stack.host.create(u("vm"), await vmInputs("oob-del"));
  stack.emulator.deleteVmOutOfBand(created.id);
  await expect(stack.host.read(created.id, u("vm"), created.properties)).resolves.toMatchObject({ id: "" });
});

test("VM renamed out of band, then refresh: the new name in outputs and inputs, and the next diff renames it back", async () => {
  const inputs = await vmInputs("oob-name");
  const created = await stack.host.create(u("vm"), inputs);
  stack.emulator.renameVmOutOfBand(created.id, "someone-else");
  const read = await stack.host.read(created.id, u("vm"), created.properties, inputs);
  expect(read.properties.name).toBe("someone-else");
  expect(read.inputs?.name).toBe("someone-else");
  await expect(stack.host.diff(created.id, u("vm"), read.properties, inputs, read.inputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
});

test("a refresh that cannot reach GPCN fails instead of dropping the VM from state", async () => {
  const created = await stack.host.create(u("vm"), await vmInputs("refresh-5xx"));
  stack.emulator.faults.set("serverErrorBurst", { count: 50, status: 500, method: "GET" });
  await expect(stack.host.read(created.id, u("vm"), created.properties)).rejects.toThrow(/HTTP 500/);
  stack.emulator.faults.clear();
  expect(API_KEY).toBeTruthy();
});
