import { UNKNOWN } from "../../provider/core/unknown";
import { sshKeyFingerprint } from "../../provider/core/sshPublicKeyText";
import { providerText } from "../harness/captureProviders";
import { HostCallError, urn } from "../harness/dynamicHost";
import { API_KEY, NovaStack, PASSWORD, PUBLIC_KEY, startNovaStack } from "./novaStack";

// `pulumi up` on Nova: the user's program with the package installed, its real `__provider`,
// Pulumi's own dynamic-provider host over gRPC, and the Nova emulator.

let stack: NovaStack;
beforeAll(async () => {
  stack = await startNovaStack();
});
afterAll(() => stack.close());

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);
const requests = () => stack.emulator.stats().requests;

describe("__provider as it lands in state", () => {
  test("type tokens are the documented ones", () => {
    expect(stack.resources.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/nova:SshKey", "pulumi-nodejs:dynamic/nova:GpuVm", "pulumi-nodejs:dynamic/nova:GpuVm"]);
  });

  test("is under 1 KB per type, names no machine path and holds no key", () => {
    for (const r of stack.resources) {
      const text = providerText([r]);
      expect(text.length).toBeLessThanOrEqual(1024);
      expect(text).not.toMatch(/\/work\/|\/tmp\/|\/home\/|\/root\//);
      expect(text).not.toContain(API_KEY);
    }
  });

  test("the VM password is a declared secret output", () => {
    expect(stack.byName("pw").additionalSecretOutputs).toContain("password");
  });
});

describe("lifecycle through the host", () => {
  let keyId = "";
  let keyOuts: Record<string, any> = {};
  let vmId = "";
  let vmInputs: Record<string, any> = {};
  let vmOuts: Record<string, any> = {};

  test("SshKey: upload returns Nova's id, key type and the key's own fingerprint", async () => {
    const checked = await stack.host.check(u("key"), {}, stack.byName("key").inputs);
    expect(checked.failures).toEqual([]);
    const created = await stack.host.create(u("key"), checked.inputs);
    keyId = created.id;
    keyOuts = created.properties;
    expect(keyOuts).toMatchObject({ name: "laptop", keyType: "ssh-ed25519", fingerprint: sshKeyFingerprint(PUBLIC_KEY), publicKey: PUBLIC_KEY });
    expect(stack.emulator.sshKeys()).toEqual([expect.objectContaining({ id: keyId, label: "laptop" })]);
  });

  test("GpuVm: node omitted → the cheapest available matching offer; create blocks until running", async () => {
    const before = requests();
    const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: keyId });
    expect(checked.failures).toEqual([]);
    vmInputs = checked.inputs;
    const created = await stack.host.create(u("vm"), vmInputs);
    vmId = created.id;
    vmOuts = created.properties;
    // vm01 offers 4090s at $0.60/GPU-h, vm02 at $0.55: vm02.
    expect(vmOuts).toMatchObject({ name: "trainer", node: "vm02", status: "running", gpuType: "4090", gpuCount: 1, storageGb: 100, templateVmid: 101, sshKeyId: keyId, instanceLabel: "trainer" });
    expect(vmOuts.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(vmOuts.vmid).toEqual(expect.any(Number));
    expect(vmOuts.hourlyRate).toBeCloseTo(0.55 + 100 * 0.00014, 4);
    expect(vmOuts).not.toHaveProperty("cpuPercent");
    expect(stack.emulator.vms()).toEqual([expect.objectContaining({ id: vmId, node: "vm02", instance_label: "trainer" })]);
    // list (adoption check) + /search + POST + PATCH label + 1–2 polls
    expect(requests() - before).toBeLessThanOrEqual(7);
    await stack.host.waitForOutput(/nova:GpuVm "trainer": created VM .* on node vm02 \(the cheapest available 4090 ×1 offer, \$0\.55\/GPU-h\)/);
  });

  test("read refreshes outputs and returns inputs", async () => {
    const read = await stack.host.read(vmId, u("vm"), vmOuts, vmInputs);
    expect(read.id).toBe(vmId);
    expect(read.properties).toMatchObject({ status: "running", node: "vm02" });
    expect(read.inputs).toMatchObject({ name: "trainer", gpuCount: 1, sshKeyId: keyId });
  });

  test("the same program again: no diff (node filled in by Nova, volatile fields ignored)", async () => {
    const checked = await stack.host.check(u("vm"), vmInputs, { ...stack.byName("vm").inputs, sshKeyId: keyId });
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, checked.inputs, vmInputs)).resolves.toMatchObject({ changes: "DIFF_NONE", replaces: [] });
    const aliases = { ...checked.inputs, gpuType: "RTX 4090", templateVmid: "ubuntu-24.04" };
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, aliases, vmInputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
  });

  test("rename: an in-place PATCH of instance_label, same VM", async () => {
    const news = (await stack.host.check(u("vm"), vmInputs, { ...vmInputs, name: "trainer-renamed" })).inputs;
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, news, vmInputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    const updated = await stack.host.update(vmId, u("vm"), vmOuts, news, vmInputs);
    expect(updated.properties).toMatchObject({ name: "trainer-renamed", instanceLabel: "trainer-renamed", status: "running", ip: vmOuts.ip });
    expect(stack.emulator.vms()).toEqual([expect.objectContaining({ id: vmId, instance_label: "trainer-renamed" })]);
    vmInputs = news;
    vmOuts = updated.properties;
  });

  test.each([
    ["gpuCount", 2],
    ["storageGb", 200],
    ["gpuType", "5090"],
    ["templateVmid", "comfyui"],
    ["node", "vm01"],
    ["rentalType", "interruptible"],
  ])("%s change: replace, naming the field", async (field, value) => {
    await expect(stack.host.diff(vmId, u("vm"), vmOuts, { ...vmInputs, [field]: value }, vmInputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [field] });
  });

  test("SshKey: any change replaces (Nova has no key update)", async () => {
    const keyInputs = stack.byName("key").inputs;
    await expect(stack.host.diff(keyId, u("key"), keyOuts, { ...keyInputs, name: "laptop-2" }, keyInputs)).resolves.toMatchObject({ replaces: ["name"] });
  });

  test("delete waits until Nova reports the VM destroyed; read then says gone; deleting again succeeds", async () => {
    await stack.host.delete(vmId, u("vm"), vmOuts);
    expect(stack.emulator.vms()).toEqual([]);
    await expect(stack.host.read(vmId, u("vm"), vmOuts)).resolves.toMatchObject({ id: "" });
    await expect(stack.host.delete(vmId, u("vm"), vmOuts)).resolves.toBeUndefined();
    await stack.host.delete(keyId, u("key"), keyOuts);
    expect(stack.emulator.sshKeys()).toEqual([]);
  });
});

describe("password auth", () => {
  test("a password VM is created with the secret, which never shows in the host's output", async () => {
    const checked = await stack.host.check(u("pw"), {}, stack.byName("pw").inputs);
    expect(checked.failures).toEqual([]);
    const created = await stack.host.create(u("pw"), checked.inputs);
    expect(created.properties).toMatchObject({ authMethod: "password", templateVmid: "comfyui", node: "vm03", status: "running" });
    expect(stack.emulator.vms().find((v) => v.id === created.id)).toMatchObject({ gpu_type: "5090" });
    expect([...stack.host.stdout, ...stack.host.stderr].join("\n")).not.toContain(PASSWORD);
    await stack.host.delete(created.id, u("pw"), created.properties);
  });
});

describe("input and preview", () => {
  const vm = () => ({ ...stack.byName("vm").inputs, sshKeyId: "k-1" });

  test("bad input is reported per property and sends nothing", async () => {
    const before = requests();
    const res = await stack.host.check(u("vm"), {}, { ...vm(), gpuCount: 3, storageGb: 20, templateVmid: "windows" });
    expect(res.failures.map((f) => f.property).sort()).toEqual(["gpuCount", "storageGb", "templateVmid"]);
    expect(res.failures.find((f) => f.property === "storageGb")?.reason).toBe("must be at least 50 (GB)");
    expect(requests()).toBe(before);
  });

  test("reserved without reservationMonths, and password auth without a password, are rejected at check", async () => {
    const before = requests();
    const reserved = await stack.host.check(u("vm"), {}, { ...vm(), rentalType: "reserved" });
    expect(reserved.failures).toEqual([{ property: "reservationMonths", reason: "is required when rentalType is reserved (1, 3 or 6)" }]);
    const { password: _p, ...noPassword } = stack.byName("pw").inputs;
    const pw = await stack.host.check(u("pw"), {}, noPassword);
    expect(pw.failures).toEqual([{ property: "password", reason: "is required when authMethod is password (at least 12 characters)" }]);
    const short = await stack.host.check(u("pw"), {}, { ...stack.byName("pw").inputs, password: "short" });
    expect(short.failures).toEqual([{ property: "password", reason: "must be at least 12 characters" }]);
    expect(requests()).toBe(before);
  });

  test("unknown values in preview pass check; an unknown immutable input plans a replace", async () => {
    const res = await stack.host.check(u("vm"), {}, { ...vm(), sshKeyId: UNKNOWN, rentalType: UNKNOWN });
    expect(res.failures).toEqual([]);
    expect(res.inputs.sshKeyId).toBe(UNKNOWN);
    const olds = { ...res.inputs, sshKeyId: "key-1", rentalType: "on_demand", status: "running" };
    await expect(stack.host.diff("vm-1", u("vm"), olds, res.inputs, olds)).resolves.toMatchObject({ replaces: ["rentalType", "sshKeyId"] });
  });
});

describe("credentials", () => {
  test("a missing key is a clear error naming both ways to set it, and nothing is sent", async () => {
    const host = await stack.newHost({}, {});
    const before = requests();
    const err: HostCallError = await host.create(u("key"), stack.byName("key").inputs).catch((e) => e);
    expect(err.message).toContain("pulumi config set --secret nova:apiKey");
    expect(err.message).toContain("NOVA_API_KEY");
    expect(requests()).toBe(before);
    await host.close();
  });

  test("env fallback works, and stack config wins over env", async () => {
    const keyIds = () => stack.emulator.sshKeys().map((k) => k.id);
    const fromEnv = await stack.newHost({ NOVA_API_KEY: API_KEY, NOVA_ENDPOINT: stack.emulator.url }, {});
    const created = await fromEnv.create(u("key"), { ...stack.byName("key").inputs, name: "env-key" });
    // Made in this emulator with the key from the environment, and deleted there again.
    expect(stack.emulator.sshKeys().find((k) => k.id === created.id)?.label).toBe("env-key");
    await fromEnv.delete(created.id, u("key"), created.properties);
    expect(keyIds()).not.toContain(created.id);
    const both = await stack.newHost({ NOVA_API_KEY: "nv_wrong", NOVA_ENDPOINT: "http://127.0.0.1:9" }, { "nova:apiKey": API_KEY, "nova:endpoint": stack.emulator.url });
    const again = await both.create(u("key"), { ...stack.byName("key").inputs, name: "cfg-key" });
    expect(stack.emulator.sshKeys().find((k) => k.id === again.id)?.label).toBe("cfg-key");
    await both.delete(again.id, u("key"), again.properties);
    expect(keyIds()).not.toContain(again.id);
    await fromEnv.close();
    await both.close();
  });

  test("a rejected key never appears in errors or anything the host printed", async () => {
    const secret = "nv_live_rejected_d41d8cd98f00";
    const host = await stack.newHost({}, { "nova:apiKey": secret, "nova:endpoint": stack.emulator.url });
    const err: Error = await host.create(u("key"), stack.byName("key").inputs).catch((e) => e);
    expect(err.message).toMatch(/401/);
    expect(err.message).not.toContain(secret);
    await host.close();
    expect([...host.stdout, ...host.stderr].join("\n")).not.toContain(secret);
    expect([...stack.host.stdout, ...stack.host.stderr].join("\n")).not.toContain(API_KEY);
  });
});
