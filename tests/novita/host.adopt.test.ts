import { HostCallError, urn } from "../harness/dynamicHost";
import { MARKER_ENV } from "../../provider/novita/instanceMarker";
import { API_KEY, NovitaStack, startNovitaStack } from "./novitaStack";

// Moving hand-made instances under Pulumi: `adoptId` instead of `pulumi import` (pulumi/pulumi#16175).

let stack: NovitaStack;
beforeAll(async () => {
  stack = await startNovitaStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.faults.clear());

const PREFIX = "/gpu-instance/openapi/v1";
const u = () => urn(stack.program.project, "test", stack.byName("vm").type, "vm");
const creates = () => stack.emulator.stats().byRoute[`POST ${PREFIX}/gpu/instance/create`] ?? 0;
const instance = (id: string) => stack.emulator.instances().find((i) => i.id === id)!;

/** "Made in the console": straight to Novita's API, so it has no create marker. */
async function handMade(body: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${stack.emulator.url}/gpu/instance/create`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "trainer",
      productId: "4090.16c62g",
      gpuNum: 1,
      rootfsSize: 40,
      imageUrl: "docker.io/pytorch/pytorch:latest",
      ports: "9000/tcp",
      envs: [{ key: "MODE", value: "train" }],
      kind: "gpu",
      billingMode: "onDemand",
      clusterId: "",
      ...body,
    }),
  });
  const { id } = (await res.json()) as { id: string };
  return id;
}

async function declared(extra: Record<string, unknown>) {
  const checked = await stack.host.check(u(), {}, { ...stack.byName("vm").inputs, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

describe("a running hand-made instance", () => {
  let id = "";
  beforeAll(async () => {
    id = await handMade();
    await stack.host.check(u(), {}, stack.byName("vm").inputs); // warm the host
  });

  test("a mismatch is refused naming each field with both values; nothing is created or changed", async () => {
    const before = { creates: creates(), ...stack.emulator.stats() };
    const inputs = await declared({ adoptId: id, name: "trainer-2", gpuCount: 2, imageUrl: "docker.io/library/ubuntu:22.04", envs: [{ key: "MODE", value: "serve" }] });
    const err: HostCallError = await stack.host.create(u(), inputs).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`cannot adopt Novita instance ${id}`));
    expect(err.message).toMatch(/name: it has "trainer", the program declares "trainer-2"/);
    expect(err.message).toMatch(/gpuCount: it has 1, the program declares 2/);
    expect(err.message).toMatch(/imageUrl: it has "docker.io\/pytorch\/pytorch:latest", the program declares "docker.io\/library\/ubuntu:22.04"/);
    // Env values may be tokens: keys only.
    expect(err.message).toMatch(/envs: it has "keys MODE", the program declares "keys MODE, other values for MODE"/);
    expect(err.message).not.toMatch(/serve|"train"/);
    expect(err.message).toMatch(/only through its upgrade call, which resets the instance; adoption never resets/);
    expect(err.initFailed).toBeUndefined(); // nothing to record
    expect(creates()).toBe(before.creates);
    expect(stack.emulator.stats()).toMatchObject({ edits: before.edits, upgrades: before.upgrades });
    expect(instance(id)).toMatchObject({ name: "trainer", gpuNum: "1", portMappings: [expect.objectContaining({ port: 9000, type: "tcp" })] });
  });

  test("a product the declared productName does not match is refused", async () => {
    const err: HostCallError = await stack.host.create(u(), await declared({ adoptId: id, productName: "H100" })).catch((e) => e);
    expect(err.message).toMatch(/productName: it has "RTX 4090[^"]*", the program declares "H100"/);
  });

  test("a root disk larger than declared cannot shrink: refused", async () => {
    const err: HostCallError = await stack.host.create(u(), await declared({ adoptId: id, rootfsSize: 20 })).catch((e) => e);
    expect(err.message).toMatch(/rootfsSize: it has 40, the program declares 20/);
  });

  test("a match is taken over without a create: ports and root disk set through edit, no reset, adoptId kept, no diff afterwards", async () => {
    const before = { creates: creates(), ...stack.emulator.stats() };
    const inputs = await declared({ adoptId: id });
    const adopted = await stack.host.create(u(), inputs);
    expect(adopted.id).toBe(id);
    expect(adopted.properties).toMatchObject({
      name: "trainer",
      adoptId: id,
      status: "running",
      productId: "4090.16c62g",
      productName: "RTX 4090",
      rootfsSize: 60,
      ports: [{ port: 8080, type: "http" }],
      envs: [{ key: "MODE", value: "train" }],
      pricePerGpuHourUsd: 0.35, // as create reports it
    });
    expect(adopted.properties.sshPassword).toBeTruthy();
    expect(creates()).toBe(before.creates);
    expect(stack.emulator.stats()).toMatchObject({ edits: before.edits + 1, upgrades: before.upgrades });
    const vm = instance(id);
    expect(vm.portMappings.map((p) => [p.port, p.type])).toEqual([[8080, "http"]]);
    expect(vm.volumeMounts[0]).toMatchObject({ type: "local", size: 60 });
    expect(vm.envs.map((e) => e.key)).not.toContain(MARKER_ENV); // never reset to add it

    let props = adopted.properties;
    let ins = inputs;
    for (let n = 0; n < 3; n++) {
      const read = await stack.host.read(id, u(), props, ins);
      expect(read.inputs?.adoptId).toBe(id);
      const again = (await stack.host.check(u(), read.inputs!, { ...stack.byName("vm").inputs, adoptId: id })).inputs;
      await expect(stack.host.diff(id, u(), read.properties, again, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
      props = read.properties;
      ins = again;
    }
    // Dropping adoptId from the program later is not a change to the instance.
    const dropped = (await stack.host.check(u(), ins, stack.byName("vm").inputs)).inputs;
    await expect(stack.host.diff(id, u(), props, dropped, ins)).resolves.toMatchObject({ replaces: [] });
  });
});

test("an id Novita does not know is a clear error, whichever way Novita says so", async () => {
  const inputs = await declared({ adoptId: "ffffffffffffffff" });
  const before = creates();
  await expect(stack.host.create(u(), inputs)).rejects.toThrow(/Novita has no instance ffffffffffffffff to adopt/);
  stack.emulator.setMissingInstanceStatus(404);
  try {
    await expect(stack.host.create(u(), inputs)).rejects.toThrow(/Novita has no instance ffffffffffffffff to adopt/);
  } finally {
    stack.emulator.setMissingInstanceStatus(400);
  }
  expect(creates()).toBe(before);
});

test("an instance still starting is waited for, then its ports are set", async () => {
  stack.emulator.setTimeScale(60); // its 70 emulated seconds of starting take about a second
  let adopted;
  let id = "";
  try {
    id = await handMade({ name: "warming" });
    expect(instance(id).status).not.toBe("running");
    adopted = await stack.host.create(u(), await declared({ adoptId: id, name: "warming" }));
  } finally {
    stack.emulator.setTimeScale(600);
  }
  expect(adopted.properties).toMatchObject({ status: "running", ports: [{ port: 8080, type: "http" }] });
  expect(instance(id).portMappings.map((p) => p.port)).toEqual([8080]);
  await stack.host.waitForOutput(/novita:GpuVm "warming": starting, instance/);
});

test("stuck while starting: a partial create that records the adopted instance with the ports Novita still has", async () => {
  stack.emulator.faults.set("stuckNextStarts", { count: 1 });
  const id = await handMade({ name: "stuck-adopt" });
  const before = creates();
  const err: HostCallError = await stack.host.create(u(), await declared({ adoptId: id, name: "stuck-adopt", createTimeoutSeconds: 2 })).catch((e) => e);
  expect(err.initFailed?.id).toBe(id);
  expect(err.initFailed?.reasons.join("\n")).toContain("createTimeoutSeconds (2) passed");
  // Not yet set in place: recorded as Novita has it, so the next `up` plans the edit.
  expect(err.initFailed?.properties).toMatchObject({ adoptId: id, ports: [{ port: 9000, type: "tcp" }], rootfsSize: 40 });
  expect(creates()).toBe(before);
});
