import { UNKNOWN } from "../../provider/core/unknown";
import { providerText } from "../harness/captureProviders";
import { HostCallError, urn } from "../harness/dynamicHost";
import { API_KEY, NovitaStack, startNovitaStack } from "./novitaStack";

// The path `pulumi up` takes: a user's program with the package installed under node_modules,
// its real `__provider`, Pulumi's own dynamic-provider host over gRPC, the Novita emulator.

let stack: NovitaStack;
beforeAll(async () => {
  // Resets long enough (2 s real) that the waiter must really wait for `running` again.
  stack = await startNovitaStack({ emulator: { resetSeconds: 1200 } });
});
afterAll(() => stack.close());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);
const program = () => stack.byName("vm").inputs;
const instancesNamed = (name: string) => stack.emulator.instances().filter((i) => i.name === name && i.status !== "removed");

describe("__provider and the resource class", () => {
  test("the type token is novita:GpuVm and there is no novita.SshKey", () => {
    expect(stack.resources.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/novita:GpuVm"]);
    const sdk = require("../../sdk/novita");
    expect(sdk.GpuVm).toBeDefined();
    expect(sdk.SshKey).toBeUndefined();
  });

  test("is small, names no machine path and holds no key", () => {
    const text = providerText(stack.resources);
    expect(text.length).toBeLessThanOrEqual(1024);
    expect(text).not.toMatch(/\/work\/|\/tmp\/|\.tmp\/|\/home\/|\/root\//);
    expect(text).not.toContain(API_KEY);
  });

  test("SSH and web-terminal passwords and registry credentials are declared secret outputs", () => {
    expect(stack.byName("vm").additionalSecretOutputs).toEqual(expect.arrayContaining(["sshPassword", "webTerminalPassword", "imageAuth"]));
  });
});

describe("lifecycle through the host", () => {
  let id = "";
  let ins: Record<string, any> = {};
  let outs: Record<string, any> = {};

  test("create resolves the cheapest RTX 4090, waits until running and returns access and prices", async () => {
    const before = stack.emulator.stats().requests;
    const checked = await stack.host.check(u("vm"), {}, program());
    expect(checked.failures).toEqual([]);
    ins = checked.inputs;
    const created = await stack.host.create(u("vm"), ins);
    id = created.id;
    outs = created.properties;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(outs).toMatchObject({ name: "trainer", status: "running", productId: "4090.16c62g", productName: "RTX 4090", gpuCount: 1, kind: "gpu", billingMode: "onDemand" });
    expect(outs.pricePerGpuHourUsd).toBe(0.35); // "35000" in 1/100 000 USD
    expect(outs.pricePerHourUsd).toBe(0.35);
    expect(outs.cpuCount).toBe(16); // "16" on the wire
    expect(outs.sshCommand).toMatch(/^ssh root@\d+\.\d+\.\d+\.\d+ -p \d+$/);
    expect(outs.sshPassword).toBeTruthy();
    expect(outs.webTerminalPassword).toBeTruthy();
    expect(outs.portMappings).toEqual([expect.objectContaining({ port: 8080, type: "http", endpoint: expect.stringMatching(/:\d+$/) })]);
    expect(outs.envs).toEqual([{ key: "MODE", value: "train" }]); // the marker stays out of the declared envs
    expect(instancesNamed("trainer").map((i) => i.id)).toEqual([id]);
    expect(stack.emulator.stats().requests - before).toBeLessThanOrEqual(6);
    await stack.host.waitForOutput(/novita:GpuVm "trainer": starting, instance running/);
  });

  test("refresh, then the same program: no diff, five times over", async () => {
    let o = outs;
    let i = ins;
    for (let n = 0; n < 5; n++) {
      const read = await stack.host.read(id, u("vm"), o, i);
      expect(read.id).toBe(id);
      const checked = await stack.host.check(u("vm"), read.inputs ?? i, program());
      await expect(stack.host.diff(id, u("vm"), read.properties, checked.inputs, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
      o = read.properties;
      i = checked.inputs;
    }
  });

  test("ports change: in place through edit, no reset, same instance", async () => {
    const news = (await stack.host.check(u("vm"), ins, { ...program(), ports: [{ port: 8080, type: "http" }, { port: 9000, type: "tcp" }] })).inputs;
    await expect(stack.host.diff(id, u("vm"), outs, news, ins)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    const upgradesBefore = stack.emulator.stats().upgrades;
    const updated = await stack.host.update(id, u("vm"), outs, news, ins);
    expect(updated.properties.portMappings.map((p: any) => p.port).sort()).toEqual([8080, 9000]);
    expect(stack.emulator.stats().upgrades).toBe(upgradesBefore);
    expect(stack.emulator.requests().filter((r) => r.path.endsWith("/gpu/instance/edit")).length).toBe(1);
    ins = news;
    outs = updated.properties;
  });

  test("rootfs growth: in place through edit; a shrink plans a replacement, naming why", async () => {
    const grow = (await stack.host.check(u("vm"), ins, { ...ins, rootfsSize: 100 })).inputs;
    await expect(stack.host.diff(id, u("vm"), outs, grow, ins)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    const updated = await stack.host.update(id, u("vm"), outs, grow, ins);
    expect(updated.properties.rootfsSize).toBe(100);
    const [vm] = instancesNamed("trainer");
    expect(vm.volumeMounts.find((v: any) => v.mountPath === "/")?.size).toBe(100);
    ins = grow;
    outs = updated.properties;
    const shrink = (await stack.host.check(u("vm"), ins, { ...ins, rootfsSize: 50 })).inputs;
    await expect(stack.host.diff(id, u("vm"), outs, shrink, ins)).resolves.toMatchObject({ replaces: ["rootfsSize"] });
    await stack.host.waitForOutput(/rootfsSize 100 → 50 forces replacement \(it shrinks: Novita can only grow a root disk\)/);
  });

  test("the replacement of a shrink back to the created size is a new instance, never the grown one it replaces", async () => {
    const created = stack.byName("vm").inputs.rootfsSize;
    expect(ins.rootfsSize).toBeGreaterThan(created);
    const back = (await stack.host.check(u("vm"), ins, { ...ins, rootfsSize: created })).inputs;
    const replacement = await stack.host.create(u("vm"), back); // create-before-delete, as the engine replaces
    expect(replacement.id).not.toBe(id);
    expect(instancesNamed("trainer").map((v) => v.id).sort()).toEqual([id, replacement.id].sort());
    await stack.host.delete(replacement.id, u("vm"), replacement.properties);
  });

  test("image change: the preview warns of the reset; update goes through upgrade and waits until running again", async () => {
    const news = (await stack.host.check(u("vm"), ins, { ...ins, imageUrl: "docker.io/pytorch/pytorch:2.4.0-cuda12.4" })).inputs;
    await expect(stack.host.diff(id, u("vm"), outs, news, ins)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    await stack.host.waitForOutput(/changing imageUrl resets the machine/);
    const updated = await stack.host.update(id, u("vm"), outs, news, ins);
    expect(updated.properties).toMatchObject({ status: "running", imageUrl: "docker.io/pytorch/pytorch:2.4.0-cuda12.4" });
    const [vm] = instancesNamed("trainer");
    expect(vm.id).toBe(id);
    expect(vm.status).toBe("running");
    expect(vm.imageUrl).toBe("docker.io/pytorch/pytorch:2.4.0-cuda12.4");
    expect(vm.envs).toEqual(expect.arrayContaining([{ key: "MODE", value: "train" }])); // upgrade is a full replacement: envs resent
    await stack.host.waitForOutput(/resetting, instance (toReset|resetting)/); // it really saw the reset
    ins = news;
    outs = updated.properties;
  });

  test("name change: a replacement, because Novita cannot rename", async () => {
    const news = (await stack.host.check(u("vm"), ins, { ...ins, name: "trainer-2" })).inputs;
    await expect(stack.host.diff(id, u("vm"), outs, news, ins)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: ["name"] });
    await stack.host.waitForOutput(/name "trainer" → "trainer-2" forces replacement \(Novita's API has no rename call/);
  });

  test("ports changed in the console come back on refresh, and the next diff puts them back in place", async () => {
    stack.emulator.setPortsOutOfBand(id, [{ port: 7000, type: "tcp" }]);
    const read = await stack.host.read(id, u("vm"), outs, ins);
    expect(read.inputs?.ports).toEqual([{ port: 7000, type: "tcp" }]);
    await expect(stack.host.diff(id, u("vm"), read.properties, ins, read.inputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  });

  test("delete waits until removed; read then reports it gone; deleting again succeeds", async () => {
    await stack.host.delete(id, u("vm"), outs);
    expect(instancesNamed("trainer")).toEqual([]);
    await expect(stack.host.read(id, u("vm"), outs)).resolves.toMatchObject({ id: "" });
    await expect(stack.host.delete(id, u("vm"), outs)).resolves.toBeUndefined();
  });
});

describe("input and preview", () => {
  test("bad input is reported per property and sends nothing", async () => {
    const before = stack.emulator.stats().requests;
    const res = await stack.host.check(u("vm"), {}, { ...program(), gpuCount: 9, rootfsSize: 5, ports: [{ port: 2222, type: "tcp" }], billingMode: "yearly" });
    expect(res.failures.map((f) => f.property).sort()).toEqual(["billingMode", "gpuCount", "ports.0.port", "rootfsSize"]);
    expect(res.failures.find((f) => f.property === "ports.0.port")?.reason).toMatch(/reserved/);
    expect(stack.emulator.stats().requests).toBe(before);
  });

  test("unknown values in preview pass check; an unknown immutable input plans a replace, an unknown image an update", async () => {
    const res = await stack.host.check(u("vm"), {}, { ...program(), clusterId: UNKNOWN, imageUrl: UNKNOWN });
    expect(res.failures).toEqual([]);
    expect(res.inputs.clusterId).toBe(UNKNOWN);
    const olds = { ...res.inputs, clusterId: "as-sgp-2", imageUrl: "docker.io/x:1", status: "running" };
    await expect(stack.host.diff("i-1", u("vm"), olds, res.inputs, olds)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: ["clusterId"] });
  });

  test("a missing key is a clear error naming both ways to set it, and nothing is sent", async () => {
    const host = await stack.newHost({}, {});
    const before = stack.emulator.stats().requests;
    const err: HostCallError = await host.create(u("vm"), (await stack.host.check(u("vm"), {}, program())).inputs).catch((e) => e);
    expect(err.message).toContain("pulumi config set --secret novita:apiKey");
    expect(err.message).toContain("NOVITA_API_KEY");
    expect(err.initFailed).toBeUndefined();
    expect(stack.emulator.stats().requests).toBe(before);
    await host.close();
  });
});
