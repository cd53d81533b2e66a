import { setLogSink } from "../../provider/core/progressLog";
import { UNKNOWN } from "../../provider/core/unknown";
import { fluenceGpuVm } from "../../provider/fluence/gpuVm";
import { fluenceSshKey } from "../../provider/fluence/sshKey";

const logs: string[] = [];
beforeAll(() => setLogSink((_l, m) => logs.push(m)));
afterAll(() => setLogSink(undefined));
beforeEach(() => (logs.length = 0));

const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk3dW1lbXVsYXRvcmtleWZvcnRlc3RzMDAwMDAwMDAw me@laptop";

const vmInputs = { name: "trainer-1", gpuModel: "h100", gpuCount: 1, osImage: "Ubuntu Server 22.04", sshPublicKey: PUBLIC_KEY };

// Outputs as create stores them: declared inputs, defaults, and what the cloud filled in.
const vmOutputs = {
  ...vmInputs,
  kind: "vm",
  createTimeoutSeconds: 900,
  deleteTimeoutSeconds: 900,
  planId: "6f1c2d9a-0000-4000-8000-000000000001",
  location: "us-east-2",
  pricePerHour: 1.95,
  currency: "USDC",
  status: "ACTIVE",
  ip: "203.0.113.10",
  sshConnection: "ssh ubuntu@203.0.113.10",
  billing: { hourlyUsage: 1.95, totalSpendings: 1.95, reservedAmount: 3.9 },
  __provider: "old provider text",
};

async function diffVm(news: Record<string, unknown>) {
  const checked = await fluenceGpuVm.check(undefined, vmOutputs, { ...news, __provider: "new provider text" });
  expect(checked.failures ?? []).toEqual([]);
  return fluenceGpuVm.diff(undefined, "vm-1", vmOutputs, checked.inputs);
}

describe("fluence.GpuVm check", () => {
  test.each([
    ["", "name"],
    ["-trainer", "name"],
    ["trainer-", "name"],
    ["Trainer", "name"],
    ["a".repeat(26), "name"],
  ])("name %j is refused with the rule", async (name) => {
    const res = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, name });
    expect(res.failures).toEqual([{ property: "name", reason: expect.stringMatching(/1–25 characters of lowercase letters, digits and hyphens/) }]);
  });

  test("25 characters, digits and inner hyphens are fine; kind defaults to vm", async () => {
    const res = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, name: `a-${"b".repeat(22)}9` });
    expect(res.failures ?? []).toEqual([]);
    expect(res.inputs).toMatchObject({ kind: "vm", createTimeoutSeconds: 900, deleteTimeoutSeconds: 900 });
  });

  test("planId or a selection, not both, and a selection needs model and count", async () => {
    const both = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, planId: "p" });
    expect(both.failures).toEqual([{ property: "planId", reason: expect.stringMatching(/not both/) }]);
    const none = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, gpuModel: undefined, gpuCount: undefined });
    expect(none.failures?.[0]).toMatchObject({ property: "planId", reason: expect.stringMatching(/getPlans/) });
    const half = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, gpuModel: undefined });
    expect(half.failures).toEqual([{ property: "gpuModel", reason: expect.stringMatching(/required with gpuCount/) }]);
    const narrowsPlan = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, gpuModel: undefined, gpuCount: undefined, planId: "p", location: "x" });
    expect(narrowsPlan.failures).toEqual([{ property: "location", reason: expect.stringMatching(/only narrows a selection/) }]);
  });

  test("kind, sshPublicKey and maxPricePerHour are checked with their property named", async () => {
    const res = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, kind: "container", sshPublicKey: "not a key", maxPricePerHour: -1 });
    expect(res.failures?.map((f) => f.property).sort()).toEqual(["kind", "maxPricePerHour", "sshPublicKey"]);
  });

  test("unknowns in preview pass check and are kept untouched", async () => {
    const res = await fluenceGpuVm.check(undefined, {}, { ...vmInputs, sshPublicKey: UNKNOWN, gpuModel: UNKNOWN });
    expect(res.failures ?? []).toEqual([]);
    expect(res.inputs).toMatchObject({ sshPublicKey: UNKNOWN, gpuModel: UNKNOWN });
  });
});

describe("fluence.GpuVm diff", () => {
  test("same inputs: no change, although __provider text and the cloud's filled-in values differ", async () => {
    await expect(diffVm(vmInputs)).resolves.toMatchObject({ changes: false, replaces: [] });
  });

  test("rename is in place and the preview log names the call", async () => {
    await expect(diffVm({ ...vmInputs, name: "trainer-2" })).resolves.toMatchObject({ changes: true, replaces: [] });
    expect(logs.join("\n")).toMatch(/name "trainer-1" → "trainer-2" updates in place via PUT \/gpu\/instances/);
  });

  test.each([
    ["kind", "baremetal"],
    ["gpuModel", "h200"],
    ["gpuCount", 2],
    ["location", "eu-north-1"],
    ["osImage", "Ubuntu Server 24.04"],
    ["sshPublicKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFub3RoZXJrZXlmb3J0ZXN0czAwMDAwMDAwMDAwMDAw x"],
  ])("%s change replaces", async (field, value) => {
    await expect(diffVm({ ...vmInputs, [field]: value })).resolves.toMatchObject({ changes: true, replaces: [field] });
  });

  test("a new planId replaces; the same planId as the one the selection resolved to does not", async () => {
    const { gpuModel: _m, gpuCount: _c, ...rest } = vmInputs;
    await expect(diffVm({ ...rest, planId: vmOutputs.planId })).resolves.toMatchObject({ changes: false });
    await expect(diffVm({ ...rest, planId: "another-option" })).resolves.toMatchObject({ replaces: ["planId"] });
  });

  test("spelling: model case and the key's comment are not changes", async () => {
    await expect(diffVm({ ...vmInputs, gpuModel: "H100", sshPublicKey: PUBLIC_KEY.replace("me@laptop", "other comment") })).resolves.toMatchObject({ changes: false });
  });

  test("maxPricePerHour and deadlines change state only, never the instance", async () => {
    await expect(diffVm({ ...vmInputs, maxPricePerHour: 5 })).resolves.toMatchObject({ changes: true, replaces: [] });
    await expect(diffVm({ ...vmInputs, createTimeoutSeconds: 60 })).resolves.toMatchObject({ changes: true, replaces: [] });
  });

  test("an unknown immutable input in preview plans a replacement", async () => {
    await expect(fluenceGpuVm.diff(undefined, "vm-1", vmOutputs, { ...vmOutputs, sshPublicKey: UNKNOWN })).resolves.toMatchObject({ replaces: ["sshPublicKey"] });
  });
});

describe("fluence.SshKey", () => {
  const outs = { name: "laptop", publicKey: PUBLIC_KEY, fingerprint: "SHA256:x", algorithm: "ssh-ed25519", libraryName: "old-name" };

  test("any change replaces (no update API); the comment alone is not a change", async () => {
    await expect(fluenceSshKey.diff(undefined, "k", outs, { name: "laptop", publicKey: PUBLIC_KEY.replace("me@laptop", "x") })).resolves.toMatchObject({ changes: false });
    await expect(fluenceSshKey.diff(undefined, "k", outs, { name: "desk", publicKey: PUBLIC_KEY })).resolves.toMatchObject({ replaces: ["name"] });
  });

  test("sk-* and malformed keys are refused before any request", async () => {
    const res = await fluenceSshKey.check(undefined, {}, { name: "k", publicKey: "sk-ssh-ed25519@openssh.com AAAA x" });
    expect(res.failures).toEqual([{ property: "publicKey", reason: expect.stringMatching(/OpenSSH public key/) }]);
  });
});
