import { urn } from "../harness/dynamicHost";
import { waitForCondition } from "../harness/waitForCondition";
import { NovitaStack, startNovitaStack } from "./novitaStack";

// powerState (issue 16) through Pulumi's dynamic-provider host and the Novita emulator: a stop
// and a start are in-place updates (never a replace) that wait for the emulator's exited/running;
// state without powerState (0.1.0) diffs clean; a stop made outside Pulumi shows at refresh as a
// changed input, and the next update starts the instance again.

let stack: NovitaStack;
beforeAll(async () => {
  stack = await startNovitaStack();
});
afterAll(() => stack.close());

const u = () => urn(stack.program.project, "test", stack.byName("vm").type, "vm");
const statusOf = (id: string) => stack.emulator.instances().find((i) => i.id === id)?.status;
const postsTo = (route: string) => stack.emulator.requests().filter((r) => r.method === "POST" && r.path.endsWith(route)).length;

test("stop and start in place, refresh shows an outside stop, up starts it again", async () => {
  const checked = await stack.host.check(u(), {}, { ...stack.byName("vm").inputs, name: "power-1" });
  expect(checked.failures).toEqual([]);
  const created = await stack.host.create(u(), checked.inputs);
  const id = created.id;
  let olds = created.properties;
  expect(statusOf(id)).toBe("running");

  // 0.1.0 state has no powerState: omitted stays omitted, no change.
  expect((await stack.host.diff(id, u(), olds, checked.inputs)).changes).toBe("DIFF_NONE");

  const stopIt = (await stack.host.check(u(), olds, { ...checked.inputs, powerState: "stopped" })).inputs;
  const diff = await stack.host.diff(id, u(), olds, stopIt);
  expect(diff).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  const stops = postsTo("/gpu/instance/stop");
  olds = (await stack.host.update(id, u(), olds, stopIt)).properties;
  expect(postsTo("/gpu/instance/stop")).toBe(stops + 1);
  expect(statusOf(id)).toBe("exited"); // update returned only once the emulator said so
  expect(olds.powerState).toBe("stopped");

  const startIt = { ...stopIt, powerState: "running" };
  olds = (await stack.host.update(id, u(), olds, startIt)).properties;
  expect(statusOf(id)).toBe("running");

  // Stopped outside Pulumi: refresh reads it back as the input, so the declared "running" is a change.
  await fetch(`${stack.emulator.url}/gpu/instance/stop`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ instanceId: id }),
  });
  // The emulator passes toStop → stopping → exited in emulated time; the refresh is made once it is exited.
  await waitForCondition(() => statusOf(id) === "exited", "the instance is exited");
  const read = await stack.host.read(id, u(), olds, startIt);
  expect(read.inputs?.powerState).toBe("stopped");
  const drift = await stack.host.diff(id, u(), read.properties, startIt);
  expect(drift).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  await stack.host.update(id, u(), read.properties, startIt);
  expect(statusOf(id)).toBe("running");
  await stack.host.delete(id, u(), olds);
}, 120_000);

test("a bad powerState is refused at check", async () => {
  const res = await stack.host.check(u(), {}, { ...stack.byName("vm").inputs, powerState: "paused" });
  expect(res.failures).toEqual([{ property: "powerState", reason: expect.stringMatching(/running.*stopped/) }]);
});

test("adoptId of an exited instance: declared running, it is started; declared stopped, it stays exited", async () => {
  const checked = await stack.host.check(u(), {}, { ...stack.byName("vm").inputs, name: "power-3" });
  const made = await stack.host.create(u(), checked.inputs);
  const stop = async () => {
    await fetch(`${stack.emulator.url}/gpu/instance/stop`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ instanceId: made.id }),
    });
    await waitForCondition(() => statusOf(made.id) === "exited", "the instance is exited");
  };
  await stop();
  const running = (await stack.host.check(u(), {}, { ...checked.inputs, adoptId: made.id, powerState: "running" })).inputs;
  const adopted = await stack.host.create(u(), running);
  expect(adopted.id).toBe(made.id);
  expect(statusOf(made.id)).toBe("running");
  expect(adopted.properties.powerState).toBe("running");

  await stop();
  const stopped = (await stack.host.check(u(), {}, { ...checked.inputs, adoptId: made.id, powerState: "stopped" })).inputs;
  const kept = await stack.host.create(u(), stopped);
  expect(statusOf(made.id)).toBe("exited");
  expect(kept.properties.powerState).toBe("stopped");
  await stack.host.delete(made.id, u(), kept.properties);
}, 120_000);
