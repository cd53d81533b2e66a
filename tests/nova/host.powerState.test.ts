import { urn } from "../harness/dynamicHost";
import { waitForCondition } from "../harness/waitForCondition";
import { NovaStack, startNovaStack } from "./novaStack";

// powerState on Nova (issue 16) through Pulumi's dynamic-provider host and the Nova emulator's
// inferred POST /vms/{id}/stop|start: in place, never a replace; a stopped VM's pricePerHour is its
// storage rate as the emulator serves it; a stop made outside Pulumi shows at refresh and the next
// update starts the VM again; a VM declared stopped is created, then stopped.

let stack: NovaStack;
beforeAll(async () => {
  stack = await startNovaStack();
});
afterAll(() => stack.close());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);
const served = (id: string) => stack.emulator.vms().find((v) => v.id === id)!;
const posts = (action: string) => stack.emulator.requests().filter((r) => r.method === "POST" && r.path.endsWith(`/${action}`)).length;

let keyId = "";
beforeAll(async () => {
  const checked = await stack.host.check(u("key"), {}, stack.byName("key").inputs);
  keyId = (await stack.host.create(u("key"), checked.inputs)).id;
});

test("stop and start in place; the stopped VM costs its storage; an outside stop is drift that up repairs", async () => {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name: "power-1", sshKeyId: keyId });
  expect(checked.failures).toEqual([]);
  const created = await stack.host.create(u("vm"), checked.inputs);
  const id = created.id;
  let olds = created.properties;
  expect(served(id).status).toBe("running");
  expect(olds.pricePerHour).toBe(served(id).gpu_hourly_rate);
  expect((await stack.host.diff(id, u("vm"), olds, checked.inputs)).changes).toBe("DIFF_NONE"); // no powerState: no change

  const stopIt = (await stack.host.check(u("vm"), olds, { ...checked.inputs, powerState: "stopped" })).inputs;
  expect(await stack.host.diff(id, u("vm"), olds, stopIt)).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  olds = (await stack.host.update(id, u("vm"), olds, stopIt)).properties;
  expect(served(id).status).toBe("stopped");
  expect(olds).toMatchObject({ powerState: "stopped", status: "stopped", pricePerHour: served(id).storage_hourly_rate, currency: "USD" });

  const startIt = { ...stopIt, powerState: "running" };
  olds = (await stack.host.update(id, u("vm"), olds, startIt)).properties;
  expect(served(id).status).toBe("running");
  expect(olds.pricePerHour).toBe(served(id).gpu_hourly_rate);

  await fetch(`${stack.emulator.url}/vms/${id}/stop`, { method: "POST", headers: { authorization: `Bearer ${stack.apiKey}` } });
  await waitForCondition(() => served(id).status === "stopped", "the VM is stopped");
  const read = await stack.host.read(id, u("vm"), olds, startIt);
  expect(read.inputs?.powerState).toBe("stopped");
  expect(await stack.host.diff(id, u("vm"), read.properties, startIt)).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  const starts = posts("start");
  await stack.host.update(id, u("vm"), read.properties, startIt);
  expect(posts("start")).toBe(starts + 1);
  expect(served(id).status).toBe("running");
  await stack.host.delete(id, u("vm"), olds);
}, 120_000);

test("a VM declared stopped is created, then stopped; a bad value is refused at check", async () => {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name: "power-2", sshKeyId: keyId, powerState: "stopped" });
  const created = await stack.host.create(u("vm"), checked.inputs);
  expect(served(created.id).status).toBe("stopped");
  expect(created.properties.pricePerHour).toBe(served(created.id).storage_hourly_rate);
  const bad = await stack.host.check(u("vm"), {}, { ...checked.inputs, powerState: "paused" });
  expect(bad.failures).toEqual([{ property: "powerState", reason: expect.stringContaining('must be "running" or "stopped"') }]);
  await stack.host.delete(created.id, u("vm"), created.properties);
}, 120_000);

test("adoptId of a stopped VM declared running: it is started, and state says what Nova shows", async () => {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name: "power-3", sshKeyId: keyId });
  const made = await stack.host.create(u("vm"), checked.inputs);
  await fetch(`${stack.emulator.url}/vms/${made.id}/stop`, { method: "POST", headers: { authorization: `Bearer ${stack.apiKey}` } });
  await waitForCondition(() => served(made.id).status === "stopped", "the VM is stopped");
  const running = (await stack.host.check(u("vm"), {}, { ...checked.inputs, adoptId: made.id, powerState: "running" })).inputs;
  const adopted = await stack.host.create(u("vm"), running);
  expect(adopted.id).toBe(made.id);
  expect(served(made.id).status).toBe("running");
  expect(adopted.properties).toMatchObject({ powerState: "running", status: "running", pricePerHour: served(made.id).gpu_hourly_rate });
  await stack.host.delete(made.id, u("vm"), adopted.properties);
}, 120_000);
