import { HostCallError, urn } from "../harness/dynamicHost";
import { waitForCondition } from "../harness/waitForCondition";
import { GpcnStack, startGpcnStack } from "./gpcnStack";

// powerState on GPCN (issue 16) through Pulumi's dynamic-provider host and the emulator's
// single-VM start/stop of the older guide: in place (start/stop, never PUT or a replace); a 501
// on start fails the update with a clear error and the state stays stopped, which is true; an
// outside stop is drift that the next update repairs.

let stack: GpcnStack;
beforeAll(async () => {
  stack = await startGpcnStack();
});
afterAll(() => stack.close());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);
const statusOf = (id: string) => stack.emulator.vms().find((v) => v.id === id)?.status;
const puts = () => stack.emulator.requests().filter((r) => r.method === "PUT").length;

let keyId = "";
beforeAll(async () => {
  const checked = await stack.host.check(u("key"), {}, stack.byName("key").inputs);
  keyId = (await stack.host.create(u("key"), checked.inputs)).id;
});

test("stop and start in place; a 501 on start is a clear error and the state stays stopped; an outside stop is repaired", async () => {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name: "power-1", sshKeyId: keyId });
  const created = await stack.host.create(u("vm"), checked.inputs);
  const id = created.id;
  let olds = created.properties;
  expect(statusOf(id)).toBe("Running");

  const stopIt = (await stack.host.check(u("vm"), olds, { ...checked.inputs, powerState: "stopped" })).inputs;
  expect(await stack.host.diff(id, u("vm"), olds, stopIt)).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  const putsBefore = puts();
  olds = (await stack.host.update(id, u("vm"), olds, stopIt)).properties;
  expect(puts()).toBe(putsBefore); // powerState is not a PUT field
  expect(statusOf(id)).toBe("Stopped");
  expect(olds).toMatchObject({ powerState: "stopped", status: "Stopped" });

  const startIt = { ...stopIt, powerState: "running" };
  stack.emulator.faults.set("startNotImplemented", { count: 1 });
  const err = await stack.host.update(id, u("vm"), olds, startIt).catch((e) => e);
  expect(err).toBeInstanceOf(HostCallError);
  expect(err.message).toContain(`GPCN cannot start VM ${id} ("power-1"): the older API's single-VM start (POST /resource/gpu/{id}/start) is not available (501:`);
  expect(statusOf(id)).toBe("Stopped");
  // The engine keeps the old state (stopped) after a failed update, and a refresh agrees.
  expect((await stack.host.read(id, u("vm"), olds, stopIt)).inputs?.powerState).toBe("stopped");

  olds = (await stack.host.update(id, u("vm"), olds, startIt)).properties;
  expect(statusOf(id)).toBe("Running");

  await fetch(`${stack.emulator.url}/resource/gpu/${id}/stop`, { method: "POST", headers: { "x-api-key": stack.apiKey } });
  await waitForCondition(() => statusOf(id) === "Stopped", "the VM is Stopped");
  const read = await stack.host.read(id, u("vm"), olds, startIt);
  expect(read.inputs?.powerState).toBe("stopped");
  expect(await stack.host.diff(id, u("vm"), read.properties, startIt)).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  await stack.host.update(id, u("vm"), read.properties, startIt);
  expect(statusOf(id)).toBe("Running");
  await stack.host.delete(id, u("vm"), olds);
}, 120_000);

test("a VM declared stopped is created, then stopped", async () => {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name: "power-2", sshKeyId: keyId, powerState: "stopped" });
  const created = await stack.host.create(u("vm"), checked.inputs);
  expect(statusOf(created.id)).toBe("Stopped");
  expect(created.properties.powerState).toBe("stopped");
  await stack.host.delete(created.id, u("vm"), created.properties);
}, 120_000);

test("adoptId of a stopped VM: declared running, it is started; declared stopped, it stays stopped", async () => {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, name: "power-3", sshKeyId: keyId });
  const made = await stack.host.create(u("vm"), checked.inputs);
  const stop = () => fetch(`${stack.emulator.url}/resource/gpu/${made.id}/stop`, { method: "POST", headers: { "x-api-key": stack.apiKey } });
  await stop();
  await waitForCondition(() => statusOf(made.id) === "Stopped", "the VM is Stopped");

  const running = (await stack.host.check(u("vm"), {}, { ...checked.inputs, adoptId: made.id, powerState: "running" })).inputs;
  const adopted = await stack.host.create(u("vm"), running);
  expect(adopted.id).toBe(made.id);
  expect(statusOf(made.id)).toBe("Running");
  expect(adopted.properties).toMatchObject({ powerState: "running", status: "Running" });

  await stop();
  await waitForCondition(() => statusOf(made.id) === "Stopped", "the VM is Stopped");
  const stopped = (await stack.host.check(u("vm"), {}, { ...checked.inputs, adoptId: made.id, powerState: "stopped" })).inputs;
  const kept = await stack.host.create(u("vm"), stopped);
  expect(statusOf(made.id)).toBe("Stopped");
  expect(kept.properties).toMatchObject({ powerState: "stopped", status: "Stopped" });
  await stack.host.delete(made.id, u("vm"), kept.properties);
}, 120_000);
