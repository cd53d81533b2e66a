import { HostCallError, urn } from "../harness/dynamicHost";
import { API_KEY, NovitaStack, startNovitaStack } from "./novitaStack";

// What a flaky Novita does to `pulumi up`: never a second GPU, never a lost one.

let stack: NovitaStack;
beforeAll(async () => {
  stack = await startNovitaStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.faults.clear());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);
const live = (name: string) => stack.emulator.instances().filter((i) => i.name === name && !["toRemove", "removing", "removed"].includes(i.status));
const PREFIX = "/gpu-instance/openapi/v1";

async function inputs(name: string, extra: Record<string, unknown> = {}) {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

test("429 burst with Retry-After: create succeeds, one instance, nothing resent before Retry-After", async () => {
  stack.emulator.faults.set("rateLimitBurst", { count: 2, retryAfterSec: 1, pathPrefix: `${PREFIX}/gpu/instance/create` });
  const created = await stack.host.create(u("vm"), await inputs("rl-1"));
  expect(created.properties.status).toBe("running");
  expect(live("rl-1").map((i) => i.id)).toEqual([created.id]);
  const log = stack.emulator.requests().filter((r) => r.path === `${PREFIX}/gpu/instance/create`);
  const limited = log.filter((r) => r.status === 429);
  expect(limited).toHaveLength(2);
  const next = log[log.indexOf(limited[1]) + 1];
  expect(Date.parse(next.at) - Date.parse(limited[1].at)).toBeGreaterThanOrEqual(1000 - 5);
});

test("5xx (HTML) and connection resets on reads: retried, create succeeds", async () => {
  const ins = await inputs("flaky-reads");
  stack.emulator.faults.set("serverErrorBurst", { count: 2, status: 502, html: true, method: "GET" });
  stack.emulator.faults.set("connectionResetBurst", { count: 1, method: "GET" });
  const created = await stack.host.create(u("vm"), ins);
  expect(created.properties.status).toBe("running");
  expect(stack.emulator.stats().faultsFired).toMatchObject({ serverErrorBurst: 2, connectionResetBurst: 1 });
});

test("lost create response: exactly one instance, and it is the one recorded", async () => {
  stack.emulator.faults.set("loseCreateResponse", { count: 1 });
  const creates = () => stack.emulator.stats().byRoute[`POST ${PREFIX}/gpu/instance/create`] ?? 0;
  const before = creates();
  const created = await stack.host.create(u("vm"), await inputs("lost-1"));
  expect(live("lost-1").map((i) => i.id)).toEqual([created.id]);
  expect(creates() - before).toBe(1); // found by the look-up after the lost answer, never sent twice
});

test("a same-named instance with other immutable inputs (the one being replaced) is not adopted", async () => {
  const first = await stack.host.create(u("vm"), await inputs("twin", { tools: [{ name: "Jupyter", port: 8888, type: "http" }] }));
  const second = await stack.host.create(u("vm"), await inputs("twin"));
  expect(second.id).not.toBe(first.id);
  expect(live("twin")).toHaveLength(2);
});

test("failed image pull: a partial create carrying the id, the inputs and Novita's statusError", async () => {
  stack.emulator.faults.set("failNextStarts", { count: 1, message: "pull access denied for private/image" });
  const ins = await inputs("fails-1");
  const err: HostCallError = await stack.host.create(u("vm"), ins).catch((e) => e);
  const [vm] = live("fails-1");
  expect(err.message).toContain("pull access denied for private/image");
  expect(err.initFailed?.id).toBe(vm.id);
  expect(err.initFailed?.properties).toMatchObject({ name: "fails-1", __provider: ins.__provider, gpuCount: 1, status: "exited" });
  expect(err.initFailed?.reasons.join("\n")).toContain("pull access denied");
  await stack.host.delete(vm.id, u("vm"), err.initFailed!.properties);
  expect(live("fails-1")).toEqual([]);
});

test("stuck in pulling: partial create at the deadline, and the next update continues waiting", async () => {
  stack.emulator.faults.set("stuckNextStarts", { count: 1 });
  const ins = await inputs("stuck-1", { createTimeoutSeconds: 2 });
  const err: HostCallError = await stack.host.create(u("vm"), ins).catch((e) => e);
  const [vm] = live("stuck-1");
  expect(err.initFailed?.id).toBe(vm.id);
  expect(err.message).toMatch(/timed out after 2s/);
  expect(err.initFailed?.reasons.join("\n")).toContain("createTimeoutSeconds (2) passed");
  const again: HostCallError = await stack.host.update(vm.id, u("vm"), err.initFailed!.properties, ins).catch((e) => e);
  expect(again.initFailed?.id).toBe(vm.id); // still pulling: still a partial create, never lost
  await stack.host.delete(vm.id, u("vm"), err.initFailed!.properties);
});

test.each([
  ["INSUFFICIENT_RESOURCE", /insufficient resource/],
  ["BALANCE_NOT_ENOUGH", /balance not enough/],
  ["CREATE_INSTANCE_LIMIT", /recharge or delete other instances/],
] as const)("%s: fails at the create, once, typed, no wait, no instance", async (reason, words) => {
  stack.emulator.faults.set("rejectNextCreates", { count: 1, reason });
  const before = stack.emulator.stats().byRoute[`POST ${PREFIX}/gpu/instance/create`] ?? 0;
  const err: HostCallError = await stack.host.create(u("vm"), await inputs(`rej-${reason}`)).catch((e) => e);
  expect(err.message).toMatch(words);
  expect(err.message).toContain(`code ${reason}`);
  expect(err.initFailed).toBeUndefined();
  expect(live(`rej-${reason}`)).toEqual([]);
  expect((stack.emulator.stats().byRoute[`POST ${PREFIX}/gpu/instance/create`] ?? 0) - before).toBe(1);
});

test("a sold-out product is refused before anything is bought", async () => {
  const before = stack.emulator.stats().byRoute[`POST ${PREFIX}/gpu/instance/create`] ?? 0;
  const err: HostCallError = await stack.host.create(u("vm"), await inputs("soldout", { productName: "H200" })).catch((e) => e);
  expect(err.message).toMatch(/no deployable product matching "H200".*H200-141GB\.16c240g.*inventory none/);
  expect(stack.emulator.stats().byRoute[`POST ${PREFIX}/gpu/instance/create`] ?? 0).toBe(before);
});

test("refresh after an out-of-band delete: gone, whether Novita answers 400 RESOURCE_NOT_FOUND or 404", async () => {
  for (const status of [400, 404] as const) {
    stack.emulator.setMissingInstanceStatus(status);
    const created = await stack.host.create(u("vm"), await inputs(`oob-${status}`));
    stack.emulator.deleteOutOfBand(created.id);
    await expect(stack.host.read(created.id, u("vm"), created.properties)).resolves.toMatchObject({ id: "" });
    await expect(stack.host.delete(created.id, u("vm"), created.properties)).resolves.toBeUndefined();
  }
  stack.emulator.setMissingInstanceStatus(400);
});

test("a refresh that cannot reach Novita fails instead of dropping the instance", async () => {
  const created = await stack.host.create(u("vm"), await inputs("refresh-5xx"));
  stack.emulator.faults.set("serverErrorBurst", { count: 50, status: 500, method: "GET" });
  await expect(stack.host.read(created.id, u("vm"), created.properties)).rejects.toThrow(/HTTP 500/);
});

test("monthly instance: auto-renewal changes in place; release before the end is Novita's clear refusal", async () => {
  const ins = await inputs("monthly-1", { billingMode: "monthly", month: 1, autoRenew: false });
  const created = await stack.host.create(u("vm"), ins);
  expect(created.properties.endTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  const news = { ...ins, autoRenew: true, autoRenewMonth: 3 };
  await expect(stack.host.diff(created.id, u("vm"), created.properties, news, ins)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  await stack.host.update(created.id, u("vm"), created.properties, news, ins);
  expect(live("monthly-1")[0]).toMatchObject({ autoRenew: true, autoRenewMonth: 3 });
  const err: Error = await stack.host.delete(created.id, u("vm"), created.properties).catch((e) => e);
  expect(err.message).toMatch(/does not release a monthly \(prepaid\) instance before it ends at .*Turn autoRenew off/);
  expect(live("monthly-1")).toHaveLength(1);
});

test("a spot instance reclaimed by Novita shows exited with its reclaim time on refresh", async () => {
  const created = await stack.host.create(u("vm"), await inputs("spot-1", { billingMode: "spot" }));
  expect(created.properties.pricePerGpuHourUsd).toBe(0.18);
  expect(stack.emulator.reclaimSpot(created.id)).toBe(true);
  const read = await stack.host.read(created.id, u("vm"), created.properties);
  expect(read.properties).toMatchObject({ status: "exited", spotStatus: "terminated" });
  expect(read.properties.spotReclaimTime).toMatch(/^\d{4}-/);
});

test("a rejected key and the instance passwords never appear in errors or host output", async () => {
  const secret = "novita_rejected_key_0a1b2c3d4e";
  const host = await stack.newHost({}, { "novita:apiKey": secret, "novita:endpoint": stack.emulator.url });
  const err: Error = await host.create(u("vm"), await inputs("k")).catch((e) => e);
  expect(err.message).toMatch(/401/);
  expect(err.message).not.toContain(secret);
  await host.close();
  const printed = [...host.stdout, ...host.stderr, ...stack.host.stdout, ...stack.host.stderr].join("\n");
  expect(printed).not.toContain(secret);
  expect(printed).not.toContain(API_KEY);
  for (const vm of stack.emulator.instances()) expect(printed).not.toContain(vm.connectComponentSSH.password);
});
