import { HostCallError } from "../harness/dynamicHost";
import { GpcnStack, startGpcnStack } from "./gpcnStack";

// Moving hand-made VMs under Pulumi: `adoptId` instead of `pulumi import` (pulumi/pulumi#16175).

let stack: GpcnStack;
let keyId = "";
let handMade: { id: string; properties: Record<string, any> };

beforeAll(async () => {
  stack = await startGpcnStack();
  keyId = (await stack.host.create(stack.urnOf("key"), stack.byName("key").inputs)).id;
  // "Made in the console": created outside the program under another name.
  handMade = await stack.host.create(stack.urnOf("vm"), (await stack.host.check(stack.urnOf("vm"), {}, { ...stack.byName("vm").inputs, name: "console-made", sshKeyId: keyId })).inputs);
});
afterAll(() => stack.close());

const declared = (extra: Record<string, unknown>) => ({ ...stack.byName("vm").inputs, sshKeyId: keyId, ...extra });

test("a mismatch in an immutable input is refused, naming each field, and nothing is created or changed", async () => {
  const before = stack.emulator.stats().byRoute["POST /v1/resource/gpu"] ?? 0;
  const inputs = (await stack.host.check(stack.urnOf("vm"), {}, declared({ adoptId: handMade.id, gpuCount: 2, imageName: "ubuntu-22.04" }))).inputs;
  const err: HostCallError = await stack.host.create(stack.urnOf("vm"), inputs).catch((e) => e);
  expect(err.message).toMatch(/cannot adopt GPCN VM/);
  expect(err.message).toMatch(/gpuCount: it has 1, the program declares 2/);
  expect(err.message).toMatch(/imageName: it has "Ubuntu 24\.04[^"]*", the program declares "ubuntu-22\.04"/);
  expect(err.initFailed).toBeUndefined();
  expect(stack.emulator.stats().byRoute["POST /v1/resource/gpu"] ?? 0).toBe(before);
  expect(stack.emulator.vms().find((v) => v.id === handMade.id)?.name).toBe("console-made");
});

test("a match is taken over without a create: renamed as declared, adoptId kept, no diff afterwards", async () => {
  const before = stack.emulator.stats().byRoute["POST /v1/resource/gpu"] ?? 0;
  const inputs = (await stack.host.check(stack.urnOf("vm"), {}, declared({ adoptId: handMade.id }))).inputs;
  const adopted = await stack.host.create(stack.urnOf("vm"), inputs);
  expect(adopted.id).toBe(handMade.id);
  expect(adopted.properties).toMatchObject({ name: "trainer", adoptId: handMade.id, status: "Running" });
  expect(stack.emulator.stats().byRoute["POST /v1/resource/gpu"] ?? 0).toBe(before);
  expect(stack.emulator.vms().map((v) => [v.id, v.name])).toEqual([[handMade.id, "trainer"]]);
  const read = await stack.host.read(adopted.id, stack.urnOf("vm"), adopted.properties, inputs);
  expect(read.inputs?.adoptId).toBe(handMade.id);
  const again = (await stack.host.check(stack.urnOf("vm"), read.inputs!, declared({ adoptId: handMade.id }))).inputs;
  await expect(stack.host.diff(adopted.id, stack.urnOf("vm"), read.properties, again, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
  // Dropping adoptId from the program later is not a change to the VM.
  const dropped = (await stack.host.check(stack.urnOf("vm"), read.inputs!, declared({}))).inputs;
  await expect(stack.host.diff(adopted.id, stack.urnOf("vm"), read.properties, dropped, read.inputs)).resolves.toMatchObject({ replaces: [] });
});

test("an id GPCN does not know is a clear error", async () => {
  const inputs = (await stack.host.check(stack.urnOf("vm"), {}, declared({ adoptId: "00000000-0000-4000-8000-000000000000" }))).inputs;
  await expect(stack.host.create(stack.urnOf("vm"), inputs)).rejects.toThrow(/GPCN has no VM 00000000-0000-4000-8000-000000000000 to adopt/);
});

test("SshKey: an uploaded key is adopted when the material matches, refused when it differs", async () => {
  const pub = stack.emulator.sshKeys()[0].publicKey;
  const keyUrn = stack.urnOf("key");
  const provider = stack.byName("key").inputs.__provider;
  const wrong = await stack.host.create(keyUrn, { __provider: provider, name: "k2", publicKey: pub.replace(/.{8}$/, "AAAAAAAA"), adoptId: keyId }).catch((e) => e);
  expect(wrong.message).toMatch(/cannot adopt GPCN SSH key .*publicKey/);
  const ok = await stack.host.create(keyUrn, { __provider: provider, name: "k2", publicKey: pub, adoptId: keyId });
  expect(ok.id).toBe(keyId);
  expect(stack.emulator.sshKeys().map((k) => k.name)).toEqual(["k2"]);
});
