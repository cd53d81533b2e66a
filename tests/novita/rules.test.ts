import { callOf, rulesMarkdown } from "../../provider/core/diffRules";
import { setLogSink } from "../../provider/core/progressLog";
import { UNKNOWN } from "../../provider/core/unknown";
import { novitaGpuVm } from "../../provider/novita/gpuVm";
import { gpuVmRules } from "../../provider/novita/rules";

const logs: Array<[string, string]> = [];
beforeAll(() => setLogSink((level, m) => logs.push([level, m])));
afterAll(() => setLogSink(undefined));
beforeEach(() => (logs.length = 0));

const vmInputs = {
  name: "trainer",
  productName: "RTX 4090",
  gpuCount: 1,
  rootfsSize: 60,
  imageUrl: "docker.io/pytorch/pytorch:latest",
  ports: [{ port: 8080, type: "http" }, { port: 22, type: "tcp" }],
  envs: [{ key: "B", value: "2" }, { key: "A", value: "1" }],
};

// Outputs as create stores them: declared inputs, defaults, what the cloud filled in.
const vmOutputs = {
  ...vmInputs,
  kind: "gpu",
  billingMode: "onDemand",
  createTimeoutSeconds: 1800,
  deleteTimeoutSeconds: 900,
  productId: "4090.16c62g",
  clusterId: "as-sgp-2",
  status: "running",
  sshPassword: "s3cret",
  __provider: "old provider text",
};

async function diffVm(news: Record<string, unknown>) {
  const checked = await novitaGpuVm.check(undefined, vmOutputs, { ...news, __provider: "new provider text" });
  expect(checked.failures ?? []).toEqual([]);
  return novitaGpuVm.diff(undefined, "i-1", vmOutputs, checked.inputs);
}
const text = () => logs.map(([, m]) => m).join("\n");

describe("novita.GpuVm diff", () => {
  test("same inputs: no change, though __provider, list order and cloud-filled fields differ", async () => {
    await expect(diffVm({ ...vmInputs, ports: [...vmInputs.ports].reverse(), envs: [...vmInputs.envs].reverse() })).resolves.toMatchObject({ changes: false });
  });

  test("ports and rootfs growth: in place through edit, without a reset warning", async () => {
    await expect(diffVm({ ...vmInputs, ports: [{ port: 8080, type: "http" }] })).resolves.toMatchObject({ changes: true, replaces: [] });
    await expect(diffVm({ ...vmInputs, rootfsSize: 200 })).resolves.toMatchObject({ changes: true, replaces: [] });
    expect(text()).toMatch(/rootfsSize 60 → 200 updates in place via POST \/gpu\/instance\/edit \(expandRootDisk\)$/m);
    expect(logs.filter(([level]) => level === "warn")).toEqual([]);
  });

  test("rootfs shrink replaces, saying why", async () => {
    await expect(diffVm({ ...vmInputs, rootfsSize: 40 })).resolves.toMatchObject({ replaces: ["rootfsSize"] });
    expect(text()).toContain("rootfsSize 60 → 40 forces replacement (it shrinks: Novita can only grow a root disk)");
  });

  test.each([
    ["imageUrl", "docker.io/nginx:1"],
    ["envs", [{ key: "A", value: "9" }]],
    ["command", "python train.py"],
    ["entrypoint", "/bin/sh"],
    ["imageAuthId", "auth-1"],
    ["networkStorages", [{ id: "ns-1", mountPoint: "/data" }]],
  ])("%s: in place through upgrade; the preview warns that the machine is reset", async (field, value) => {
    await expect(diffVm({ ...vmInputs, [field]: value })).resolves.toMatchObject({ changes: true, replaces: [] });
    expect(text()).toContain("via POST /gpu/instance/upgrade (the machine is reset)");
    expect(logs).toContainEqual(["warn", `novita:GpuVm "trainer": changing ${field} resets the machine; running processes stop`]);
  });

  test("name change replaces: Novita has no rename call", async () => {
    await expect(diffVm({ ...vmInputs, name: "trainer-2" })).resolves.toMatchObject({ replaces: ["name"] });
    expect(text()).toContain("Novita's API has no rename call");
  });

  test.each([
    ["gpuCount", 2],
    ["productId", "A100-80GB.14c240g"],
    ["clusterId", "us-ca-06"],
    ["kind", "cpu"],
    ["billingMode", "spot"],
    ["tools", [{ name: "Jupyter", port: 8888, type: "http" }]],
    ["networkId", "vpc-1"],
    ["minCudaVersion", "12.4"],
    ["imageAuth", "me:pw"],
  ])("%s change replaces", async (field, value) => {
    const news: Record<string, unknown> = { ...vmInputs, [field]: value };
    if (field === "productId") delete news.productName;
    await expect(diffVm(news)).resolves.toMatchObject({ replaces: [field] });
  });

  test("autoRenew of a monthly instance: in place through setAutoRenew", async () => {
    const olds = { ...vmOutputs, billingMode: "monthly", month: 1, autoRenew: false };
    const checked = await novitaGpuVm.check(undefined, olds, { ...vmInputs, billingMode: "monthly", month: 1, autoRenew: true, autoRenewMonth: 2 });
    expect(checked.failures).toBeUndefined();
    await expect(novitaGpuVm.diff(undefined, "i-1", olds, checked.inputs)).resolves.toMatchObject({ changes: true, replaces: [] });
    expect(text()).toContain("autoRenew false → true updates in place via POST /gpu/instance/setAutoRenew");
  });

  test("omitting what the cloud filled in (productId, clusterId) is not a change; a deadline changes state only", async () => {
    await expect(diffVm(vmInputs)).resolves.toMatchObject({ changes: false });
    await expect(diffVm({ ...vmInputs, deleteTimeoutSeconds: 60 })).resolves.toMatchObject({ changes: true, replaces: [] });
  });

  test("an unknown rootfsSize in preview is an update, not a replace", async () => {
    await expect(novitaGpuVm.diff(undefined, "i-1", vmOutputs, { ...vmOutputs, rootfsSize: UNKNOWN })).resolves.toMatchObject({ changes: true, replaces: [] });
  });

  test("the README table says which call, which change resets, and when a one-way field replaces", () => {
    const md = rulesMarkdown(gpuVmRules);
    expect(md).toContain("| `imageUrl` | in place, resets the machine | `POST /gpu/instance/upgrade` |");
    expect(md).toContain("| `rootfsSize` | in place | `POST /gpu/instance/edit (expandRootDisk)`; replace when it shrinks: Novita can only grow a root disk; growth without a restart |");
    expect(md).toContain("| `name` | replace | Novita's API has no rename call, so a new name means a new instance |");
  });
});

describe("novita.GpuVm check", () => {
  const check = (extra: Record<string, unknown>) => novitaGpuVm.check(undefined, {}, { ...vmInputs, ...extra });

  test("defaults are filled in so that state is explicit", async () => {
    expect((await check({})).inputs).toMatchObject({ kind: "gpu", billingMode: "onDemand", createTimeoutSeconds: 1800, deleteTimeoutSeconds: 900 });
  });

  test("productId or productName, not both, not neither", async () => {
    expect((await check({ productId: "4090.16c62g" })).failures).toEqual([{ property: "productName", reason: "set either productId or productName, not both" }]);
    expect((await novitaGpuVm.check(undefined, {}, { ...vmInputs, productName: undefined })).failures?.[0].property).toBe("productId");
  });

  const invalid: Array<[Record<string, unknown>, string]> = [
    [{ ports: [{ port: 2223, type: "tcp" }] }, "ports.0.port"],
    [{ ports: [{ port: 80, type: "udp" }] }, "ports.0.type"],
    [{ ports: Array.from({ length: 14 }, (_, i) => ({ port: 9000 + i, type: "tcp" })), tools: [{ name: "Jupyter", port: 8888, type: "http" }, { name: "Jupyter", port: 8889, type: "http" }] }, "ports"],
    [{ ports: [{ port: 80, type: "tcp" }, { port: 80, type: "http" }] }, "ports"],
    [{ envs: Array.from({ length: 101 }, (_, i) => ({ key: `K${i}`, value: "" })) }, "envs"],
    [{ tools: [{ name: "VSCode", port: 8000, type: "http" }] }, "tools.0.name"],
    [{ rootfsSize: 6145 }, "rootfsSize"],
    [{ gpuCount: 0 }, "gpuCount"],
    [{ month: 2 }, "month"],
    [{ billingMode: "monthly" }, "month"],
    [{ autoRenew: true }, "autoRenew"],
    [{ billingMode: "monthly", month: 1, autoRenewMonth: 3 }, "autoRenewMonth"],
    [{ minCudaVersion: "twelve" }, "minCudaVersion"],
    [{ imageAuth: "no-colon" }, "imageAuth"],
    [{ imageUrl: "" }, "imageUrl"],
  ];
  test.each(invalid.map(([extra, property]) => ({ extra, property })))("an invalid value fails on $property", async ({ extra, property }) => {
    const res = await check(extra);
    expect(res.failures?.map((f) => f.property)).toContain(property);
  });

  test("unknown placeholders in preview pass, including required ones and inside lists", async () => {
    const res = await check({ imageUrl: UNKNOWN, gpuCount: UNKNOWN, ports: [{ port: UNKNOWN, type: "tcp" }] });
    expect(res.failures).toBeUndefined();
    expect(res.inputs).toMatchObject({ imageUrl: UNKNOWN, gpuCount: UNKNOWN });
  });
});

describe("novita.GpuVm in-place calls", () => {
  test("every in-place field names the call update makes for it (the typed `call`, not the via text)", () => {
    const inPlace = Object.entries(gpuVmRules.fields).filter(([, r]) => r.change === "inPlace").map(([f]) => f);
    expect(Object.fromEntries(inPlace.map((f) => [f, callOf(gpuVmRules, f)]))).toEqual({
      rootfsSize: "edit",
      ports: "edit",
      imageUrl: "upgrade",
      imageAuthId: "upgrade",
      envs: "upgrade",
      command: "upgrade",
      entrypoint: "upgrade",
      networkStorages: "upgrade",
      autoRenew: "autoRenew",
      autoRenewMonth: "autoRenew",
      powerState: "power",
    });
  });
});

