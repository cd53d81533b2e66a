import { UNKNOWN } from "../../provider/core/unknown";
import { providerText } from "../harness/captureProviders";
import { HostCallError, urn } from "../harness/dynamicHost";
import { API_KEY, CHEAPEST_H100, FluenceStack, newPublicKey, PUBLIC_KEY, startFluenceStack } from "./fluenceStack";

// The path `pulumi up` takes: a user's program with the package installed under node_modules,
// its real `__provider`, Pulumi's own dynamic-provider host over gRPC, the Fluence emulator.

let stack: FluenceStack;
beforeAll(async () => {
  stack = await startFluenceStack();
});
afterAll(() => stack.close());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);
const programVm = () => ({ ...stack.byName("vm").inputs, sshPublicKey: PUBLIC_KEY });
const deploys = () => stack.emulator.stats().byRoute["POST /gpu/instances/vms"] ?? 0;

describe("__provider as it lands in state", () => {
  test("type tokens are the documented ones; under 1 KB; no key, no machine path", () => {
    expect(stack.resources.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/fluence:SshKey", "pulumi-nodejs:dynamic/fluence:GpuVm"]);
    for (const r of stack.resources) {
      const text = providerText([r]);
      expect(text.length).toBeLessThanOrEqual(1024);
      expect(text).not.toMatch(/\/work\/|\/tmp\/|\/home\/|\/root\//);
      expect(text).not.toContain(API_KEY);
    }
  });
});

describe("lifecycle through the host", () => {
  let keyId = "";
  let keyOuts: Record<string, any> = {};
  let vmId = "";
  let vmInputs: Record<string, any> = {};
  let vmOuts: Record<string, any> = {};

  test("SshKey: registered in the key library with fingerprint and algorithm", async () => {
    const checked = await stack.host.check(u("key"), {}, stack.byName("key").inputs);
    expect(checked.failures).toEqual([]);
    const created = await stack.host.create(u("key"), checked.inputs);
    keyId = created.id;
    keyOuts = created.properties;
    expect(keyOuts).toMatchObject({ name: "key", publicKey: PUBLIC_KEY, algorithm: "ssh-ed25519", fingerprint: expect.stringMatching(/^SHA256:/) });
    expect(stack.emulator.sshKeys().map((k) => k.id)).toEqual([keyId]);
  });

  test("GpuVm: a selection deploys the cheapest matching option and blocks until ACTIVE", async () => {
    const checked = await stack.host.check(u("vm"), {}, programVm());
    expect(checked.failures).toEqual([]);
    vmInputs = checked.inputs;
    const created = await stack.host.create(u("vm"), vmInputs);
    vmId = created.id;
    vmOuts = created.properties;
    expect(vmOuts).toMatchObject({
      name: "trainer",
      kind: "vm",
      status: "ACTIVE",
      planId: CHEAPEST_H100.id,
      location: CHEAPEST_H100.location,
      pricePerHour: CHEAPEST_H100.pricePerHour,
      currency: "USDC",
      gpuModel: "h100",
      gpuCount: 1,
      sshPublicKey: PUBLIC_KEY,
      plan: { provider: CHEAPEST_H100.provider, vram: "80Gi" },
    });
    expect(vmOuts.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(vmOuts.sshConnection).toBe(`ssh ubuntu@${vmOuts.ip}`);
    expect(vmOuts.billing).toMatchObject({ hourlyUsage: CHEAPEST_H100.pricePerHour });
    const [instance] = stack.emulator.instances();
    expect(instance).toMatchObject({ id: vmId, ssh_key: PUBLIC_KEY, os_image: CHEAPEST_H100.osOptions[0] });
    await stack.host.waitForOutput(new RegExp(`deploying option ${CHEAPEST_H100.id} .*the cheapest match`));
    await stack.host.waitForOutput(/fluence:GpuVm "trainer": INITIALIZED \(deployed/); // progress reached the user
  });

  test("refresh, then the same program: no diff, three times over", async () => {
    let outs = vmOuts;
    let ins = vmInputs;
    for (let i = 0; i < 3; i++) {
      const read = await stack.host.read(vmId, u("vm"), outs, ins);
      expect(read.properties.status).toBe("ACTIVE");
      const checked = await stack.host.check(u("vm"), read.inputs ?? ins, programVm());
      await expect(stack.host.diff(vmId, u("vm"), read.properties, checked.inputs, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
      outs = read.properties;
      ins = checked.inputs;
    }
    const keyRead = await stack.host.read(keyId, u("key"), keyOuts);
    const keyChecked = await stack.host.check(u("key"), keyRead.inputs ?? {}, stack.byName("key").inputs);
    await expect(stack.host.diff(keyId, u("key"), keyRead.properties, keyChecked.inputs, keyRead.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
  });

  test("rename: an in-place PUT, same instance", async () => {
    const puts = stack.emulator.stats().byRoute["PUT /gpu/instances/vms/:instance_id"] ?? 0;
    const news = (await stack.host.check(u("vm"), vmInputs, { ...vmInputs, name: "trainer-renamed" })).inputs;
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, news, vmInputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    const updated = await stack.host.update(vmId, u("vm"), vmOuts, news, vmInputs);
    expect(updated.properties).toMatchObject({ name: "trainer-renamed", status: "ACTIVE", ip: vmOuts.ip, planId: CHEAPEST_H100.id });
    expect(stack.emulator.instances()).toEqual([expect.objectContaining({ id: vmId, name: "trainer-renamed" })]);
    expect((stack.emulator.stats().byRoute["PUT /gpu/instances/vms/:instance_id"] ?? 0) - puts).toBe(1);
    vmInputs = news;
    vmOuts = updated.properties;
  });

  test("everything else replaces, naming the field", async () => {
    for (const [field, value] of [["gpuCount", 2], ["osImage", "Ubuntu Server 24.04"], ["kind", "baremetal"], ["location", "dulles-usa-1"]] as const) {
      await expect(stack.host.diff(vmId, u("vm"), vmOuts, { ...vmInputs, [field]: value }, vmInputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [field] });
    }
  });

  test("delete terminates; read then reports gone (ENDED); deleting again succeeds", async () => {
    await stack.host.delete(vmId, u("vm"), vmOuts);
    expect(stack.emulator.instances()).toEqual([expect.objectContaining({ id: vmId, status: "ENDED" })]);
    await expect(stack.host.read(vmId, u("vm"), vmOuts)).resolves.toMatchObject({ id: "" });
    await expect(stack.host.delete(vmId, u("vm"), vmOuts)).resolves.toBeUndefined();
    await stack.host.delete(keyId, u("key"), keyOuts);
    expect(stack.emulator.sshKeys()).toEqual([]);
    await expect(stack.host.read(keyId, u("key"), keyOuts)).resolves.toMatchObject({ id: "" });
  });
});

describe("input and preview", () => {
  test("bad input is reported per property and sends nothing", async () => {
    const before = stack.emulator.stats().requests;
    const res = await stack.host.check(u("vm"), {}, { ...programVm(), name: "Trainer_1", gpuCount: 0, sshPublicKey: "not a key" });
    expect(res.failures.map((f) => f.property).sort()).toEqual(["gpuCount", "name", "sshPublicKey"]);
    expect(res.failures.find((f) => f.property === "name")?.reason).toMatch(/1–25 characters of lowercase letters, digits and hyphens/);
    expect(stack.emulator.stats().requests).toBe(before);
  });

  test("unknown values in preview pass check; an unknown public key plans a replace", async () => {
    const res = await stack.host.check(u("vm"), {}, { ...programVm(), sshPublicKey: UNKNOWN });
    expect(res.failures).toEqual([]);
    expect(res.inputs.sshPublicKey).toBe(UNKNOWN);
    const olds = { ...res.inputs, sshPublicKey: PUBLIC_KEY, status: "ACTIVE" };
    await expect(stack.host.diff("vm-1", u("vm"), olds, res.inputs, olds)).resolves.toMatchObject({ replaces: ["sshPublicKey"] });
  });

  test("an osImage the chosen option does not offer is refused before any deploy, listing the valid images", async () => {
    const before = deploys();
    const inputs = (await stack.host.check(u("vm"), {}, { ...programVm(), name: "bad-os", osImage: "windows-11" })).inputs;
    const err: HostCallError = await stack.host.create(u("vm"), inputs).catch((e) => e);
    expect(err.message).toContain(`osImage "windows-11" is not offered`);
    expect(err.message).toContain(`valid: ${CHEAPEST_H100.osOptions.join(", ")}`);
    expect(err.initFailed).toBeUndefined();
    expect(deploys()).toBe(before);
    expect(stack.emulator.instances().filter((i) => i.name === "bad-os")).toEqual([]);
  });
});

describe("credentials", () => {
  test("a missing key is a clear error naming both ways to set it, and nothing is sent", async () => {
    const host = await stack.newHost({}, {});
    const before = stack.emulator.stats().requests;
    const err: HostCallError = await host.create(u("vm"), { ...programVm(), kind: "vm", createTimeoutSeconds: 60, deleteTimeoutSeconds: 60 }).catch((e) => e);
    expect(err.message).toContain("pulumi config set --secret fluence:apiKey");
    expect(err.message).toContain("FLUENCE_API_KEY");
    expect(stack.emulator.stats().requests).toBe(before);
    await host.close();
  });

  test("env fallback works (FLUENCE_API_KEY / FLUENCE_ENDPOINT)", async () => {
    const host = await stack.newHost({ FLUENCE_API_KEY: API_KEY, FLUENCE_ENDPOINT: stack.emulator.url }, {});
    const material = newPublicKey("env");
    const created = await host.create(u("key"), { ...stack.byName("key").inputs, name: "env-key", publicKey: material });
    // Uploaded to this emulator with the key from the environment, and deleted there again.
    expect(stack.emulator.sshKeys().find((k) => k.id === created.id)?.name).toBe("env-key");
    await host.delete(created.id, u("key"), created.properties);
    expect(stack.emulator.sshKeys().map((k) => k.id)).not.toContain(created.id);
    await host.close();
  });

  test("a rejected key never appears in errors or anything the host printed", async () => {
    const secret = "fluence_rejected_key_9c0ffee1234";
    const host = await stack.newHost({}, { "fluence:apiKey": secret, "fluence:endpoint": stack.emulator.url });
    const err: Error = await host.create(u("key"), { ...stack.byName("key").inputs, name: "k" }).catch((e) => e);
    expect(err.message).toMatch(/HTTP 401/);
    expect(err.message).not.toContain(secret);
    const vmErr: Error = await host.create(u("vm"), { ...programVm(), kind: "vm", createTimeoutSeconds: 60, deleteTimeoutSeconds: 60 }).catch((e) => e);
    expect(vmErr.message).toMatch(/HTTP 403/);
    expect(vmErr.message).not.toContain(secret);
    await host.close();
    expect([...host.stdout, ...host.stderr].join("\n")).not.toContain(secret);
    expect([...stack.host.stdout, ...stack.host.stderr].join("\n")).not.toContain(API_KEY);
  });
});
