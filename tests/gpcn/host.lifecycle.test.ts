import * as fs from "fs";
import * as path from "path";
import { UNKNOWN } from "../../provider/core/unknown";
import { captureResources, providerText } from "../harness/captureProviders";
import { HostCallError, urn } from "../harness/dynamicHost";
import { API_KEY, GpcnStack, KANSAS, startGpcnStack } from "./gpcnStack";

// The path `pulumi up` takes: a user's program with the package installed under node_modules,
// its real `__provider`, Pulumi's own dynamic-provider host over gRPC, the GPCN emulator.

let stack: GpcnStack;
beforeAll(async () => {
  stack = await startGpcnStack();
});
afterAll(() => stack.close());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);

describe("__provider as it lands in state", () => {
  test("type tokens are the documented ones", () => {
    expect(stack.resources.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/gpcn:SshKey", "pulumi-nodejs:dynamic/gpcn:GpuVm"]);
  });

  test("is under 1 KB per type, names no machine path and holds no key", () => {
    for (const r of stack.resources) {
      const text = providerText([r]);
      expect(text.length).toBeLessThanOrEqual(1024);
      expect(text).not.toMatch(/\/work\/|\/tmp\/|\.tmp\/|\/home\/|\/root\//);
      expect(text).not.toContain(API_KEY);
    }
  });

  test("does not change when the implementation changes", async () => {
    const before = stack.resources.map((r) => providerText([r]));
    const impl = path.join(stack.program.dir, "node_modules/pulumi-gpucloud/dist/provider/gpcn/gpuVm.js");
    fs.appendFileSync(impl, "\n// a new release\n");
    const again = await captureResources(stack.program, fs.readFileSync(path.join(stack.program.dir, "index.js"), "utf8"));
    expect(again.map((r) => providerText([r]))).toEqual(before);
  });

  test("the SSH key's private key and passphrase are declared secret outputs", () => {
    expect(stack.byName("key").additionalSecretOutputs).toEqual(expect.arrayContaining(["privateKey", "passphrase"]));
  });
});

describe("lifecycle through the host", () => {
  let keyId = "";
  let keyOuts: Record<string, any> = {};
  let vmId = "";
  let vmInputs: Record<string, any> = {};
  let vmOuts: Record<string, any> = {};

  test("SshKey: generate returns a real private key once, as an output", async () => {
    const checked = await stack.host.check(u("key"), {}, stack.byName("key").inputs);
    expect(checked.failures).toEqual([]);
    const created = await stack.host.create(u("key"), checked.inputs);
    keyId = created.id;
    keyOuts = created.properties;
    expect(keyOuts.privateKey).toMatch(/BEGIN OPENSSH PRIVATE KEY/);
    expect(keyOuts.publicKey).toMatch(/^ssh-ed25519 /);
    expect(keyOuts.fingerprint).toMatch(/^SHA256:/);
    expect(stack.emulator.sshKeys().map((k) => k.id)).toEqual([keyId]);
  });

  test("GpuVm: create blocks until the VM runs, in at most 6 requests", async () => {
    const before = stack.emulator.stats().requests;
    const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: keyId });
    expect(checked.failures).toEqual([]);
    vmInputs = checked.inputs;
    const created = await stack.host.create(u("vm"), vmInputs);
    vmId = created.id;
    vmOuts = created.properties;
    expect(vmOuts).toMatchObject({ name: "trainer", status: "Running", gpuCount: 1, seriesCode: "h100_series", datacenterId: KANSAS, sshKeyId: keyId });
    expect(vmOuts.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(vmOuts.seriesId).toBeTruthy();
    expect(vmOuts.skuCode).toBeTruthy();
    expect(stack.emulator.vms().map((v) => v.id)).toEqual([vmId]);
    expect(stack.emulator.stats().requests - before).toBeLessThanOrEqual(6);
    await stack.host.waitForOutput(/gpcn:GpuVm "trainer": .*%/); // progress reached the user
  });

  test("read refreshes outputs and returns inputs", async () => {
    const read = await stack.host.read(vmId, u("vm"), vmOuts, vmInputs);
    expect(read.id).toBe(vmId);
    expect(read.properties.status).toBe("Running");
    expect(read.inputs).toMatchObject({ name: "trainer", gpuCount: 1, sshKeyId: keyId });
  });

  test("refresh, then the same program: no diff, five times over (no perpetual diffs)", async () => {
    let outs = vmOuts;
    let ins = vmInputs;
    for (let i = 0; i < 5; i++) {
      const read = await stack.host.read(vmId, u("vm"), outs, ins);
      const checked = await stack.host.check(u("vm"), read.inputs ?? ins, { ...stack.byName("vm").inputs, sshKeyId: keyId });
      await expect(stack.host.diff(vmId, u("vm"), read.properties, checked.inputs, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
      outs = read.properties;
      ins = checked.inputs;
    }
    const keyRead = await stack.host.read(keyId, u("key"), keyOuts);
    const keyChecked = await stack.host.check(u("key"), keyRead.inputs ?? {}, stack.byName("key").inputs);
    await expect(stack.host.diff(keyId, u("key"), keyRead.properties, keyChecked.inputs, keyRead.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
    expect(keyRead.properties.privateKey).toBe(keyOuts.privateKey); // returned once, kept by refresh
  });

  test("the same program again: no diff", async () => {
    const checked = await stack.host.check(u("vm"), vmInputs, { ...stack.byName("vm").inputs, sshKeyId: keyId });
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, checked.inputs, vmInputs)).resolves.toMatchObject({ changes: "DIFF_NONE", replaces: [] });
  });

  test("rename: an in-place update, same VM", async () => {
    const news = (await stack.host.check(u("vm"), vmInputs, { ...vmInputs, name: "trainer-renamed" })).inputs;
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, news, vmInputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    const updated = await stack.host.update(vmId, u("vm"), vmOuts, news, vmInputs);
    expect(updated.properties).toMatchObject({ name: "trainer-renamed", status: "Running", ip: vmOuts.ip });
    expect(stack.emulator.vms()).toEqual([expect.objectContaining({ id: vmId, name: "trainer-renamed" })]);
    vmInputs = news;
    vmOuts = updated.properties;
  });

  test("gpuCount or series change: replace, naming the field", async () => {
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, { ...vmInputs, gpuCount: 2 }, vmInputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: ["gpuCount"] });
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, { ...vmInputs, seriesCode: "a100_series" }, vmInputs)).resolves.toMatchObject({ replaces: ["seriesCode"] });
  });

  test("delete waits for the deletion job; read then reports the VM gone; deleting again succeeds", async () => {
    await stack.host.delete(vmId, u("vm"), vmOuts);
    expect(stack.emulator.vms()).toEqual([]);
    await expect(stack.host.read(vmId, u("vm"), vmOuts)).resolves.toMatchObject({ id: "" });
    await expect(stack.host.delete(vmId, u("vm"), vmOuts)).resolves.toBeUndefined();
    await stack.host.delete(keyId, u("key"), keyOuts);
    expect(stack.emulator.sshKeys()).toEqual([]);
  });
});

describe("input and preview", () => {
  test("bad input is reported per property and sends nothing", async () => {
    const before = stack.emulator.stats().requests;
    const res = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, gpuCount: 3, sshKeyId: "k", username: "1x" });
    expect(res.failures.map((f) => f.property).sort()).toEqual(["gpuCount", "username"]);
    expect(res.failures.find((f) => f.property === "gpuCount")?.reason).toBe("must be 1, 2, 4 or 8");
    expect(stack.emulator.stats().requests).toBe(before);
  });

  test("unknown values in preview pass check; an unknown immutable input plans a replace", async () => {
    const inputs = { ...stack.byName("vm").inputs, sshKeyId: UNKNOWN };
    const res = await stack.host.check(u("vm"), {}, inputs);
    expect(res.failures).toEqual([]);
    expect(res.inputs.sshKeyId).toBe(UNKNOWN);
    const olds = { ...res.inputs, sshKeyId: "key-1", status: "Running" };
    await expect(stack.host.diff("vm-1", u("vm"), olds, res.inputs, olds)).resolves.toMatchObject({ replaces: ["sshKeyId"] });
  });
});

describe("credentials", () => {
  test("a missing key is a clear error naming both ways to set it, and nothing is sent", async () => {
    const host = await stack.newHost({}, {});
    const before = stack.emulator.stats().requests;
    const err: HostCallError = await host.create(u("vm"), { ...stack.byName("vm").inputs, sshKeyId: "k" }).catch((e) => e);
    expect(err.message).toContain("pulumi config set --secret gpcn:apiKey");
    expect(err.message).toContain("GPCN_API_KEY");
    expect(err.initFailed).toBeUndefined();
    expect(stack.emulator.stats().requests).toBe(before);
    await host.close();
  });

  test("env fallback works, and stack config wins over env", async () => {
    const keyIds = () => stack.emulator.sshKeys().map((k) => k.id);
    const fromEnv = await stack.newHost({ GPCN_API_KEY: API_KEY, GPCN_ENDPOINT: stack.emulator.url }, {});
    const created = await fromEnv.create(u("key"), { name: "env-key", algorithm: "ed25519", __provider: stack.byName("key").inputs.__provider });
    // Made in this emulator with the key from the environment, and deleted there again.
    expect(stack.emulator.sshKeys().find((k) => k.id === created.id)?.name).toBe("env-key");
    await fromEnv.delete(created.id, u("key"), created.properties);
    expect(keyIds()).not.toContain(created.id);
    const both = await stack.newHost({ GPCN_API_KEY: "gpcn_wrong", GPCN_ENDPOINT: "http://127.0.0.1:9/v1" }, { "gpcn:apiKey": API_KEY, "gpcn:endpoint": stack.emulator.url });
    const again = await both.create(u("key"), { name: "cfg-key", algorithm: "ed25519", __provider: stack.byName("key").inputs.__provider });
    expect(stack.emulator.sshKeys().find((k) => k.id === again.id)?.name).toBe("cfg-key");
    await both.delete(again.id, u("key"), again.properties);
    expect(keyIds()).not.toContain(again.id);
    await fromEnv.close();
    await both.close();
  });

  test("a rejected key never appears in errors, outputs or anything the host printed", async () => {
    const secret = "gpcn_rejected_key_d41d8cd98f00";
    const host = await stack.newHost({}, { "gpcn:apiKey": secret, "gpcn:endpoint": stack.emulator.url });
    const err: Error = await host.create(u("key"), { name: "k", algorithm: "ed25519", __provider: stack.byName("key").inputs.__provider }).catch((e) => e);
    expect(err.message).toMatch(/401/);
    expect(err.message).not.toContain(secret);
    await host.close();
    expect([...host.stdout, ...host.stderr].join("\n")).not.toContain(secret);
    expect([...stack.host.stdout, ...stack.host.stderr].join("\n")).not.toContain(API_KEY);
  });
});
