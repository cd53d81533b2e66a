import { fluencePlanOptions } from "../../emulator";
import { HostCallError, urn } from "../harness/dynamicHost";
import { API_KEY, CHEAPEST_H100, FluenceStack, newPublicKey, PUBLIC_KEY, startFluenceStack } from "./fluenceStack";

// Moving hand-made instances and keys under Pulumi: `adoptId` instead of `pulumi import` (pulumi/pulumi#16175).

let stack: FluenceStack;
beforeAll(async () => {
  stack = await startFluenceStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.faults.clear());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);
const deploys = () => stack.emulator.stats().byRoute["POST /gpu/instances/vms"] ?? 0;
const uploads = () => stack.emulator.stats().byRoute["POST /v1/ssh_keys"] ?? 0;
const instance = (id: string) => stack.emulator.instances().find((i) => i.id === id)!;
const H200 = fluencePlanOptions.find((o) => o.kind === "vm" && o.gpuModel.model === "h200" && o.gpuCount === 1)!;

/** "Made in the console": straight to Fluence's API. */
async function call(method: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${stack.emulator.url}${path}`, {
    method,
    headers: { "x-api-key": API_KEY, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return res.json();
}
const handMadeVm = async (name: string) =>
  (await call("POST", "/gpu/instances/vms", { plan_id: CHEAPEST_H100.id, name, ssh_key: PUBLIC_KEY, os_image: CHEAPEST_H100.osOptions[0] })).instance_id as string;

async function declared(extra: Record<string, unknown>) {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshPublicKey: PUBLIC_KEY, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

describe("GpuVm: a hand-made instance", () => {
  let id = "";
  beforeAll(async () => {
    id = await handMadeVm("console-made");
  });

  test("a mismatch is refused naming each field with both values; nothing is deployed or renamed", async () => {
    const before = deploys();
    const other = newPublicKey("other@laptop");
    const err: HostCallError = await stack.host.create(u("vm"), await declared({ adoptId: id, gpuCount: 2, osImage: "debian-12", sshPublicKey: other })).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`cannot adopt Fluence instance ${id}`));
    expect(err.message).toMatch(/gpuCount: it has 1, the program declares 2/);
    expect(err.message).toMatch(new RegExp(`osImage: it has "${CHEAPEST_H100.osOptions[0]}", the program declares "debian-12"`));
    expect(err.message).toContain(`sshPublicKey: it has ${JSON.stringify(PUBLIC_KEY)}, the program declares ${JSON.stringify(other)}`);
    expect(err.initFailed).toBeUndefined();
    expect(deploys()).toBe(before);
    expect(instance(id).name).toBe("console-made");
  });

  test("a planId whose option is another GPU is refused; so is the other kind", async () => {
    const plan = await stack.host.create(u("vm"), await declared({ adoptId: id, gpuModel: undefined, gpuCount: undefined, planId: H200.id })).catch((e) => e);
    expect(plan.message).toMatch(new RegExp(`planId: it has "h100 ×1 ${CHEAPEST_H100.location}", the program declares "${H200.id} \\(h200 ×1`));
    const kind = await stack.host.create(u("vm"), await declared({ adoptId: id, kind: "baremetal" })).catch((e) => e);
    expect(kind.message).toMatch(/kind: it has "vm", the program declares "baremetal"/);
    expect(instance(id).name).toBe("console-made");
  });

  test("a match is taken over without a deploy: renamed through PUT, adoptId kept, no diff afterwards", async () => {
    const before = deploys();
    const inputs = await declared({ adoptId: id });
    const adopted = await stack.host.create(u("vm"), inputs);
    expect(adopted.id).toBe(id);
    expect(adopted.properties).toMatchObject({
      name: "trainer",
      adoptId: id,
      status: "ACTIVE",
      gpuModel: "h100",
      gpuCount: 1,
      location: CHEAPEST_H100.location,
      sshConnection: expect.stringMatching(/^ssh ubuntu@/),
    });
    expect(deploys()).toBe(before);
    expect(instance(id).name).toBe("trainer");

    let props = adopted.properties;
    let ins = inputs;
    for (let n = 0; n < 3; n++) {
      const read = await stack.host.read(id, u("vm"), props, ins);
      expect(read.inputs?.adoptId).toBe(id);
      const again = (await stack.host.check(u("vm"), read.inputs!, { ...stack.byName("vm").inputs, sshPublicKey: PUBLIC_KEY, adoptId: id })).inputs;
      await expect(stack.host.diff(id, u("vm"), read.properties, again, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
      props = read.properties;
      ins = again;
    }
    // Dropping adoptId from the program later is not a change to the instance.
    const dropped = (await stack.host.check(u("vm"), ins, { ...stack.byName("vm").inputs, sshPublicKey: PUBLIC_KEY })).inputs;
    await expect(stack.host.diff(id, u("vm"), props, dropped, ins)).resolves.toMatchObject({ replaces: [] });
  });
});

test("GpuVm: an id Fluence does not know is a clear error", async () => {
  const before = deploys();
  const unknown = "00000000-0000-4000-8000-000000000000";
  await expect(stack.host.create(u("vm"), await declared({ adoptId: unknown }))).rejects.toThrow(new RegExp(`Fluence has no vm instance ${unknown} to adopt`));
  await expect(stack.host.create(u("vm"), await declared({ adoptId: "i-123" }))).rejects.toThrow(/Fluence has no instance i-123 to adopt/);
  expect(deploys()).toBe(before);
});

test("GpuVm: an instance still INITIALIZED is waited for until ACTIVE", async () => {
  stack.emulator.setTimeScale(60); // its 150 emulated seconds of provisioning take 2.5 s
  let adopted;
  let id = "";
  try {
    id = await handMadeVm("warming");
    expect(instance(id).status).toBe("INITIALIZED");
    adopted = await stack.host.create(u("vm"), await declared({ adoptId: id, name: "warming" }));
  } finally {
    stack.emulator.setTimeScale(600);
  }
  expect(adopted.properties).toMatchObject({ status: "ACTIVE", ip: expect.any(String) });
  await stack.host.waitForOutput(/fluence:GpuVm "warming": INITIALIZED/);
});

test("GpuVm: stuck INITIALIZED past the deadline is a partial create that records the adopted instance", async () => {
  stack.emulator.faults.set("stuckNextDeploys", { count: 1 });
  const id = await handMadeVm("stuck-adopt");
  const err: HostCallError = await stack.host.create(u("vm"), await declared({ adoptId: id, name: "stuck-adopt", createTimeoutSeconds: 2 })).catch((e) => e);
  expect(err.initFailed?.id).toBe(id);
  expect(err.initFailed?.properties).toMatchObject({ adoptId: id, name: "stuck-adopt", status: "INITIALIZED" });
  expect(err.initFailed?.reasons.join("\n")).toContain("createTimeoutSeconds (2) passed");
});

describe("SshKey adopted by id", () => {
  const pub = newPublicKey("ops@console");
  let keyId = "";
  beforeAll(async () => {
    keyId = (await call("POST", "/v1/ssh_keys", { name: "uploaded-in-console", publicKey: pub })).id;
  });
  const keyInputs = (extra: Record<string, unknown>) => ({ __provider: stack.byName("key").inputs.__provider, name: "key", publicKey: pub, ...extra });

  test("other key material is refused, naming publicKey with both values", async () => {
    const other = newPublicKey("not@this");
    const err: HostCallError = await stack.host.create(u("key"), keyInputs({ publicKey: other, adoptId: keyId })).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`cannot adopt Fluence SSH key ${keyId}`));
    expect(err.message).toContain(`publicKey: it has ${JSON.stringify(pub)}, the program declares ${JSON.stringify(other)}`);
  });

  test("the same material is taken over without an upload; the library keeps its name; no diff afterwards", async () => {
    const before = uploads();
    const ins = (await stack.host.check(u("key"), {}, keyInputs({ adoptId: keyId }))).inputs;
    const adopted = await stack.host.create(u("key"), ins);
    expect(adopted.id).toBe(keyId);
    expect(adopted.properties).toMatchObject({ name: "key", libraryName: "uploaded-in-console", adoptId: keyId, fingerprint: expect.stringMatching(/^SHA256:/) });
    expect(uploads()).toBe(before);
    const read = await stack.host.read(keyId, u("key"), adopted.properties, ins);
    expect(read.inputs?.adoptId).toBe(keyId);
    const again = (await stack.host.check(u("key"), read.inputs!, keyInputs({ adoptId: keyId }))).inputs;
    await expect(stack.host.diff(keyId, u("key"), read.properties, again, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
    const dropped = (await stack.host.check(u("key"), read.inputs!, keyInputs({}))).inputs;
    await expect(stack.host.diff(keyId, u("key"), read.properties, dropped, read.inputs)).resolves.toMatchObject({ replaces: [] });
  });

  test("an id the library does not hold is a clear error", async () => {
    await expect(stack.host.create(u("key"), keyInputs({ adoptId: "no-such-key" }))).rejects.toThrow(/Fluence has no SSH key no-such-key to adopt/);
  });
});
