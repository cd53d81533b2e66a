import { setLogSink } from "../../provider/core/progressLog";
import { UNKNOWN } from "../../provider/core/unknown";
import { novaGpuVm } from "../../provider/nova/gpuVm";
import { novaSshKey } from "../../provider/nova/sshKey";

const logs: string[] = [];
beforeAll(() => setLogSink((_l, m) => logs.push(m)));
afterAll(() => setLogSink(undefined));
beforeEach(() => (logs.length = 0));

const vmInputs = { name: "trainer", gpuType: "4090", gpuCount: 1, storageGb: 100, sshKeyId: "key-1" };
const vmOutputs = {
  ...vmInputs,
  templateVmid: 101,
  rentalType: "on_demand",
  authMethod: "ssh_key",
  createTimeoutSeconds: 1800,
  deleteTimeoutSeconds: 900,
  node: "vm02",
  autoRestart: false,
  status: "running",
  ip: "203.0.113.10",
  vmid: 1001,
  hourlyRate: 0.564,
  __provider: "old provider text",
};

async function diffVm(news: Record<string, unknown>) {
  const checked = await novaGpuVm.check(undefined, vmOutputs, { ...news, __provider: "new provider text" });
  expect(checked.failures ?? []).toEqual([]);
  return novaGpuVm.diff(undefined, "vm-1", vmOutputs, checked.inputs);
}

describe("nova.GpuVm diff", () => {
  test("same inputs: no change, though node and autoRestart were filled in by Nova", async () => {
    await expect(diffVm(vmInputs)).resolves.toMatchObject({ changes: false, replaces: [] });
  });

  test("spellings of one GPU type or template are the same", async () => {
    for (const gpuType of ["RTX 4090", "rtx4090", " 4090"]) await expect(diffVm({ ...vmInputs, gpuType })).resolves.toMatchObject({ changes: false });
    await expect(diffVm({ ...vmInputs, templateVmid: "ubuntu-24.04" })).resolves.toMatchObject({ changes: false });
    await expect(diffVm({ ...vmInputs, templateVmid: "ubuntu-22.04" })).resolves.toMatchObject({ replaces: ["templateVmid"] });
  });

  test("rename and autoRestart are in place via PATCH, and the preview log says so", async () => {
    await expect(diffVm({ ...vmInputs, name: "trainer-2", autoRestart: true })).resolves.toMatchObject({ changes: true, replaces: [] });
    expect(logs.join("\n")).toMatch(/name "trainer" → "trainer-2" updates in place via PATCH \/vms\/\{id\} \(instance_label\)/);
  });

  test("gpuCount change replaces and says why", async () => {
    await expect(diffVm({ ...vmInputs, gpuCount: 2 })).resolves.toMatchObject({ replaces: ["gpuCount"] });
    expect(logs.join("\n")).toMatch(/gpuCount 1 → 2 forces replacement \(Nova cannot resize a VM\)/);
  });

  test("a declared node other than the one Nova picked replaces; reserved months too", async () => {
    await expect(diffVm({ ...vmInputs, node: "vm01" })).resolves.toMatchObject({ replaces: ["node"] });
    await expect(diffVm({ ...vmInputs, node: "vm02" })).resolves.toMatchObject({ changes: false });
    await expect(diffVm({ ...vmInputs, rentalType: "reserved", reservationMonths: 3 })).resolves.toMatchObject({ replaces: ["rentalType", "reservationMonths"] });
  });

  test("outputs fed back as olds five times never produce a diff", async () => {
    let olds: Record<string, unknown> = vmOutputs;
    for (let i = 0; i < 5; i++) {
      const checked = await novaGpuVm.check(undefined, olds, { ...vmInputs, __provider: `text ${i}` });
      expect((await novaGpuVm.diff(undefined, "vm-1", olds, checked.inputs)).changes).toBe(false);
      olds = { ...olds, ...checked.inputs };
    }
  });
});

describe("nova.GpuVm check", () => {
  const check = (extra: Record<string, unknown>) => novaGpuVm.check(undefined, {}, { ...vmInputs, ...extra });

  test("defaults are explicit in state", async () => {
    expect((await check({})).inputs).toMatchObject({ templateVmid: 101, rentalType: "on_demand", authMethod: "ssh_key", createTimeoutSeconds: 1800, deleteTimeoutSeconds: 900 });
  });

  test("reservationMonths: required exactly when reserved", async () => {
    expect((await check({ rentalType: "reserved" })).failures).toEqual([{ property: "reservationMonths", reason: "is required when rentalType is reserved (1, 3 or 6)" }]);
    expect((await check({ rentalType: "reserved", reservationMonths: 2 })).failures?.[0]).toEqual({ property: "reservationMonths", reason: "must be 1, 3 or 6" });
    expect((await check({ reservationMonths: 3 })).failures).toEqual([{ property: "reservationMonths", reason: "only applies when rentalType is reserved" }]);
    expect((await check({ rentalType: "reserved", reservationMonths: 6 })).failures).toBeUndefined();
  });

  test("password: required exactly with password auth, at least 12 characters; sshKeyId only with keys", async () => {
    const { sshKeyId: _k, ...noKey } = vmInputs;
    const pw = (extra: Record<string, unknown>) => novaGpuVm.check(undefined, {}, { ...noKey, authMethod: "password", ...extra });
    expect((await pw({})).failures).toEqual([{ property: "password", reason: "is required when authMethod is password (at least 12 characters)" }]);
    expect((await pw({ password: "x".repeat(11) })).failures).toEqual([{ property: "password", reason: "must be at least 12 characters" }]);
    expect((await pw({ password: "x".repeat(12), sshKeyId: "k" })).failures).toEqual([{ property: "sshKeyId", reason: "only applies when authMethod is ssh_key" }]);
    expect((await pw({ password: "x".repeat(12) })).failures).toBeUndefined();
    expect((await check({ password: "x".repeat(12) })).failures).toEqual([{ property: "password", reason: "only applies when authMethod is password" }]);
  });

  test("ssh_key auth needs an explicit key (Nova would pick the oldest)", async () => {
    const { sshKeyId: _k, ...noKey } = vmInputs;
    expect((await novaGpuVm.check(undefined, {}, noKey)).failures?.[0].property).toBe("sshKeyId");
  });

  test("an unknown rentalType or password in preview skips the cross-field rules", async () => {
    expect((await check({ rentalType: UNKNOWN })).failures).toBeUndefined();
    const { sshKeyId: _k, ...noKey } = vmInputs;
    expect((await novaGpuVm.check(undefined, {}, { ...noKey, authMethod: "password", password: UNKNOWN })).failures).toBeUndefined();
  });
});

describe("nova.SshKey check and diff", () => {
  const ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake me@laptop";
  // A syntactically valid ssh-rsa line whose modulus has 1024 bits.
  const rsa1024 = `ssh-rsa ${Buffer.concat([lp(Buffer.from("ssh-rsa")), lp(Buffer.from([1, 0, 1])), lp(Buffer.concat([Buffer.from([0, 0xc0]), Buffer.alloc(127, 1)]))]).toString("base64")}`;

  test("types, RSA size and label length are checked before any request", async () => {
    expect((await novaSshKey.check(undefined, {}, { name: "k", publicKey: ed })).failures).toBeUndefined();
    expect((await novaSshKey.check(undefined, {}, { name: "k", publicKey: rsa1024 })).failures).toEqual([{ property: "publicKey", reason: "RSA keys must be at least 2048 bits" }]);
    expect((await novaSshKey.check(undefined, {}, { name: "k", publicKey: ed.replace("ssh-ed25519", "ecdsa-sha2-nistp384") })).failures?.[0].property).toBe("publicKey");
    expect((await novaSshKey.check(undefined, {}, { name: "x".repeat(101), publicKey: ed })).failures?.[0].property).toBe("name");
  });

  test("every change replaces; a changed comment alone is no change", async () => {
    const olds = { name: "laptop", publicKey: ed, fingerprint: "SHA256:x" };
    await expect(novaSshKey.diff(undefined, "k", olds, { name: "laptop-2", publicKey: ed })).resolves.toMatchObject({ replaces: ["name"] });
    await expect(novaSshKey.diff(undefined, "k", olds, { name: "laptop", publicKey: ed.replace("me@laptop", "other") })).resolves.toMatchObject({ changes: false });
  });
});

function lp(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
