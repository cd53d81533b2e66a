import { setLogSink } from "../../provider/core/progressLog";
import { UNKNOWN } from "../../provider/core/unknown";
import { gpcnGpuVm } from "../../provider/gpcn/gpuVm";
import { gpcnSshKey } from "../../provider/gpcn/sshKey";

const logs: string[] = [];
beforeAll(() => setLogSink((_l, m) => logs.push(m)));
afterAll(() => setLogSink(undefined));
beforeEach(() => (logs.length = 0));

const vmInputs = {
  name: "trainer",
  datacenterId: "dc-1",
  seriesCode: "h100_series",
  gpuCount: 1,
  sshKeyId: "key-1",
};

// Outputs as create stores them: declared inputs, defaults, and what the cloud filled in.
const vmOutputs = {
  ...vmInputs,
  imageName: "ubuntu-24.04",
  createTimeoutSeconds: 1800,
  deleteTimeoutSeconds: 900,
  seriesId: "series-uuid",
  skuCode: "h100-sxm-80gb-1x",
  resourceGroupId: "rg-default",
  username: "ubuntu",
  status: "Running",
  ip: "203.0.113.5",
  image: "Ubuntu 24.04 LTS (GPU)",
  __provider: "old provider text",
};

async function diffVm(news: Record<string, unknown>) {
  const checked = await gpcnGpuVm.check(undefined, vmOutputs, { ...news, __provider: "new provider text" });
  expect(checked.failures ?? []).toEqual([]);
  return gpcnGpuVm.diff(undefined, "vm-1", vmOutputs, checked.inputs);
}

describe("gpcn.GpuVm diff", () => {
  test("same inputs: no change, even though __provider text, image display name and defaults differ", async () => {
    await expect(diffVm(vmInputs)).resolves.toMatchObject({ changes: false, replaces: [] });
  });

  test("rename is an in-place update and the preview log says through which call", async () => {
    await expect(diffVm({ ...vmInputs, name: "trainer-2" })).resolves.toMatchObject({ changes: true, replaces: [] });
    expect(logs.join("\n")).toMatch(/name "trainer" → "trainer-2" updates in place via PUT \/resource\/gpu\/\{id\}/);
  });

  test("gpuCount change replaces and says why", async () => {
    await expect(diffVm({ ...vmInputs, gpuCount: 2 })).resolves.toMatchObject({ changes: true, replaces: ["gpuCount"] });
    expect(logs.join("\n")).toMatch(/gpuCount 1 → 2 forces replacement \(GPCN cannot resize a VM\)/);
  });

  test.each([
    ["datacenterId", "dc-2"],
    ["imageName", "ubuntu-22.04"],
    ["sshKeyId", "key-2"],
    ["skuCode", "h100-pcie-80gb-1x"],
    ["seriesCode", "a100_series"],
  ])("%s change replaces", async (field, value) => {
    await expect(diffVm({ ...vmInputs, [field]: value })).resolves.toMatchObject({ replaces: [field] });
  });

  test("series code spelled in another case is the same series", async () => {
    await expect(diffVm({ ...vmInputs, seriesCode: "H100_SERIES" })).resolves.toMatchObject({ changes: false });
  });

  test("omitting what the cloud filled in (skuCode, username, resourceGroupId) is not a change", async () => {
    const { ...news } = vmInputs;
    await expect(diffVm(news)).resolves.toMatchObject({ changes: false });
  });

  test("changing a deadline changes state only, never the VM", async () => {
    await expect(diffVm({ ...vmInputs, createTimeoutSeconds: 600 })).resolves.toMatchObject({ changes: true, replaces: [] });
  });

  test("an unknown immutable input in preview plans a replacement; an unknown name an update", async () => {
    await expect(gpcnGpuVm.diff(undefined, "vm-1", vmOutputs, { ...vmOutputs, sshKeyId: UNKNOWN })).resolves.toMatchObject({ replaces: ["sshKeyId"] });
    await expect(gpcnGpuVm.diff(undefined, "vm-1", vmOutputs, { ...vmOutputs, name: UNKNOWN })).resolves.toMatchObject({ changes: true, replaces: [] });
  });

  test("outputs fed back as olds five times in a row never produce a diff", async () => {
    let olds: Record<string, unknown> = vmOutputs;
    for (let i = 0; i < 5; i++) {
      const checked = await gpcnGpuVm.check(undefined, olds, { ...vmInputs, __provider: `text ${i}` });
      const diff = await gpcnGpuVm.diff(undefined, "vm-1", olds, checked.inputs);
      expect(diff.changes).toBe(false);
      olds = { ...olds, ...checked.inputs };
    }
  });
});

describe("gpcn.GpuVm check", () => {
  test("names the failing property and sends nothing", async () => {
    const res = await gpcnGpuVm.check(undefined, {}, { ...vmInputs, gpuCount: 3, imageName: "debian-12" });
    expect(res.failures).toEqual(
      expect.arrayContaining([
        { property: "gpuCount", reason: "must be 1, 2, 4 or 8" },
        expect.objectContaining({ property: "imageName" }),
      ]),
    );
  });

  test("a missing required input is reported as required", async () => {
    const { datacenterId: _omit, ...rest } = vmInputs;
    const res = await gpcnGpuVm.check(undefined, {}, rest);
    expect(res.failures).toEqual([{ property: "datacenterId", reason: "is required" }]);
  });

  test("either seriesId or seriesCode, not both, not neither", async () => {
    const both = await gpcnGpuVm.check(undefined, {}, { ...vmInputs, seriesId: "x" });
    expect(both.failures).toEqual([{ property: "seriesCode", reason: "set either seriesId or seriesCode, not both" }]);
    const { seriesCode: _s, ...neither } = vmInputs;
    const none = await gpcnGpuVm.check(undefined, {}, neither);
    expect(none.failures?.[0].property).toBe("seriesCode");
  });

  test("unknown placeholders in preview pass, including required ones, and are kept as they are", async () => {
    const res = await gpcnGpuVm.check(undefined, {}, { ...vmInputs, sshKeyId: UNKNOWN, datacenterId: UNKNOWN });
    expect(res.failures).toBeUndefined();
    expect(res.inputs).toMatchObject({ sshKeyId: UNKNOWN, datacenterId: UNKNOWN, imageName: "ubuntu-24.04" });
  });

  test("defaults are filled in so that state is explicit", async () => {
    const res = await gpcnGpuVm.check(undefined, {}, vmInputs);
    expect(res.inputs).toMatchObject({ imageName: "ubuntu-24.04", createTimeoutSeconds: 1800, deleteTimeoutSeconds: 900 });
  });

  test("username follows GPCN's rule", async () => {
    const res = await gpcnGpuVm.check(undefined, {}, { ...vmInputs, username: "9lives" });
    expect(res.failures?.[0].property).toBe("username");
  });
});

describe("gpcn.SshKey rules", () => {
  const pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake user@laptop";
  const olds = { name: "laptop", publicKey: pub, fingerprint: "SHA256:x", algorithm: "ed25519" };

  test("rename in place; new key material replaces; a dropped comment is not a change", async () => {
    await expect(gpcnSshKey.diff(undefined, "k", olds, { name: "laptop-2", publicKey: pub })).resolves.toMatchObject({ changes: true, replaces: [] });
    await expect(gpcnSshKey.diff(undefined, "k", olds, { name: "laptop", publicKey: pub.replace("user@laptop", "") })).resolves.toMatchObject({ changes: false });
    await expect(gpcnSshKey.diff(undefined, "k", olds, { name: "laptop", publicKey: pub.replace("Fake user", "Mock user") })).resolves.toMatchObject({ replaces: ["publicKey"] });
  });

  test("check: upload or generate, not both; passphrase only when generating; name ≤ 30", async () => {
    expect((await gpcnSshKey.check(undefined, {}, { name: "k", publicKey: pub, algorithm: "ed25519" })).failures?.[0].property).toBe("algorithm");
    expect((await gpcnSshKey.check(undefined, {}, { name: "k" })).failures?.[0].property).toBe("publicKey");
    expect((await gpcnSshKey.check(undefined, {}, { name: "k", publicKey: pub, passphrase: "pw" })).failures?.[0].property).toBe("passphrase");
    expect((await gpcnSshKey.check(undefined, {}, { name: "x".repeat(31), algorithm: "ed25519" })).failures?.[0].property).toBe("name");
    expect((await gpcnSshKey.check(undefined, {}, { name: "k", publicKey: "not a key" })).failures?.[0].property).toBe("publicKey");
  });
});
