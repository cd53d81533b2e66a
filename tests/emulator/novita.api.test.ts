/** The Novita emulator over plain HTTP: envelope, catalog, validation, the status enum over time, faults. */

import { startNovitaEmulator, type NovitaEmulator } from "../../emulator";
import { pollUntil } from "./gpcnTestClient";

let emu: NovitaEmulator;
beforeAll(async () => {
  // 600 emulated seconds per real second: a 70 s create takes about 120 ms.
  emu = await startNovitaEmulator({ timeScale: 600, seed: "api" });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function api(method: "GET" | "POST", path: string, body?: unknown, key: string | null = emu.apiKeys[0]) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const valid = { name: "t", productId: "4090.16c62g", gpuNum: 1, rootfsSize: 60, imageUrl: "docker.io/x:1", kind: "gpu", ports: "8080/http, 22/tcp", envs: [{ key: "A", value: "1" }] };
const create = async (extra: Record<string, unknown> = {}) => {
  const res = await api("POST", "/gpu/instance/create", { ...valid, ...extra });
  expect(res).toMatchObject({ status: 200, body: { id: expect.stringMatching(/^[0-9a-f]{16}$/) } });
  return res.body.id as string;
};
const get = (id: string) => api("GET", `/gpu/instance?instanceId=${id}`);
const statusOf = async (id: string) => (await get(id)).body.status as string;
const until = (id: string, status: string) => pollUntil(async () => ((await statusOf(id)) === status ? true : undefined), 10_000);

// Key refusals in the {code, reason, message, metadata} envelope, rate limits, core faults and the CLI
// run for every cloud in emulatorMatrix.test.ts.
describe("routes", () => {
  it("answers the obsolete /gpu/instance/list with 404", async () => {
    expect((await api("GET", "/gpu/instance/list")).status).toBe(404);
  });
});

describe("catalog", () => {
  it("lists clusters and products with prices as strings, filtered as documented", async () => {
    const clusters = (await api("GET", "/clusters")).body.data;
    expect(clusters.map((c: any) => c.id)).toEqual(["as-sgp-2", "us-ca-06", "eu-de-01"]);
    expect(clusters[0].availableGpuType).toContain("RTX 4090 24GB");
    const all = (await api("GET", "/products")).body.data;
    expect(all[0]).toMatchObject({ id: "4090.16c62g", price: "35000", spotPrice: "18000", availableDeploy: true, inventoryState: "high" });
    const h200 = all.find((p: any) => p.id.startsWith("H200"));
    expect(h200).toMatchObject({ availableDeploy: false, inventoryState: "none" });
    const filtered = (await api("GET", "/products?productName=rtx%204090&clusterId=eu-de-01&billingMethod=spot")).body.data;
    expect(filtered.map((p: any) => p.id)).toEqual(["4090.8c31g"]);
    expect((await api("GET", "/products?gpuNum=9")).body.reason).toBe("VALIDATOR_PARAM");
  });
});

describe("create validation", () => {
  it.each([
    [{ gpuNum: 9 }, "gpuNum"],
    [{ gpuNum: undefined }, "gpuNum"],
    [{ rootfsSize: 7000 }, "rootfsSize"],
    [{ imageUrl: "" }, "imageUrl"],
    [{ kind: "tpu" }, "kind"],
    [{ ports: "2222/tcp" }, "ports"],
    [{ ports: "80/udp" }, "ports"],
    [{ envs: Array.from({ length: 101 }, () => ({ key: "k", value: "v" })) }, "envs"],
    [{ tools: [{ name: "Jupyter", port: 8888, type: "http" }] }, "tools"],
    [{ billingMode: "monthly" }, "month"],
    [{ autoRenewMonth: 13 }, "autoRenewMonth"],
    [{ minCudaVersion: "v12" }, "minCudaVersion"],
    [{ networkStorages: [{ mountPoint: "/d" }] }, "networkStorages"],
  ])("%j → 400 VALIDATOR_PARAM naming %s", async (extra, field) => {
    const res = await api("POST", "/gpu/instance/create", { ...valid, ...extra });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, reason: "VALIDATOR_PARAM", metadata: { field } });
  });

  it("checks the product's root-disk limit, billing methods and stock", async () => {
    expect((await api("POST", "/gpu/instance/create", { ...valid, productId: "4090.8c31g", rootfsSize: 300 })).body.metadata.field).toBe("rootfsSize");
    expect((await api("POST", "/gpu/instance/create", { ...valid, productId: "H100-80GB.16c200g", billingMode: "monthly", month: 1 })).body.reason).toBe("UNSUPPORTED_BILLING_MODE");
    expect((await api("POST", "/gpu/instance/create", { ...valid, productId: "H200-141GB.16c240g" })).body.reason).toBe("INSUFFICIENT_RESOURCE");
    expect((await api("POST", "/gpu/instance/create", { ...valid, productId: "nope" })).body.reason).toBe("RESOURCE_NOT_FOUND");
  });

  it("raises a root disk below 10 GB to 10, as documented", async () => {
    const id = await create({ rootfsSize: 5 });
    expect((await get(id)).body.volumeMounts[0]).toMatchObject({ mountPath: "/", size: 10 });
  });
});

describe("the status enum over time", () => {
  it("create: toCreate → … → running, numbers as strings, secrets in connect components", async () => {
    const id = await create();
    expect(["toCreate", "creating", "pulling"]).toContain(await statusOf(id));
    await until(id, "running");
    const inst = (await get(id)).body;
    expect(inst).toMatchObject({ gpuNum: "1", cpuNum: "16", memory: "62", endTime: "-1", statusError: { state: "", message: "" } });
    expect(inst.connectComponentSSH).toMatchObject({ sshCommand: expect.stringMatching(/^ssh root@/), password: expect.any(String), isRunning: true });
    expect(inst.portMappings.map((p: any) => p.port)).toEqual([8080, 22]);
  });

  it("illegal transitions answer 'invalid state change'; stop, start, restart and delete follow the enum", async () => {
    const id = await create();
    expect((await api("POST", "/gpu/instance/stop", { instanceId: id })).body).toMatchObject({ reason: "CONFLICT", message: "invalid state change" });
    await until(id, "running");
    expect((await api("POST", "/gpu/instance/start", { instanceId: id })).body.message).toBe("invalid state change");
    expect((await api("POST", "/gpu/instance/stop", { instanceId: id })).body).toMatchObject({ instanceId: id });
    await until(id, "exited");
    await api("POST", "/gpu/instance/start", { instanceId: id });
    await until(id, "running");
    expect((await api("POST", "/gpu/instance/restart", { instanceId: id })).status).toBe(200);
    await until(id, "running");
    expect(await api("POST", "/gpu/instance/delete", { instanceId: id })).toEqual({ status: 200, body: undefined });
    expect((await api("POST", "/gpu/instance/delete", { instanceId: id })).body.message).toBe("invalid state change");
    await until(id, "removed");
    await pollUntil(async () => ((await get(id)).status === 400 ? true : undefined));
    expect((await get(id)).body).toMatchObject({ reason: "RESOURCE_NOT_FOUND" });
  });

  it("edit grows the disk by expandRootDisk and replaces the port list live; upgrade resets and replaces everything", async () => {
    const id = await create();
    await until(id, "running");
    expect((await api("POST", "/gpu/instance/edit", { instanceId: id, ports: [{ port: 9000, type: "tcp" }], expandRootDisk: 40 })).status).toBe(200);
    let inst = (await get(id)).body;
    expect(inst.status).toBe("running");
    expect(inst.volumeMounts[0].size).toBe(100);
    expect(inst.portMappings.map((p: any) => p.port)).toEqual([9000]);
    expect((await api("POST", "/gpu/instance/edit", { instanceId: id, expandRootDisk: 2000 })).body.metadata.field).toBe("expandRootDisk");
    expect((await api("POST", "/gpu/instance/upgrade", { instanceId: id, imageUrl: "docker.io/y:2", save: true })).status).toBe(200);
    expect(await statusOf(id)).toMatch(/toReset|resetting/);
    await until(id, "running");
    inst = (await get(id)).body;
    expect(inst).toMatchObject({ imageUrl: "docker.io/y:2", envs: [], command: "" });
  });

  it("setAutoRenew is for monthly instances only; a prepaid instance cannot be released early", async () => {
    const onDemand = await create();
    expect((await api("POST", "/gpu/instance/setAutoRenew", { instanceIds: [onDemand], autoRenew: true, autoRenewMonth: 1 })).body.reason).toBe("UNSUPPORTED_BILLING_MODE");
    const monthly = await create({ billingMode: "monthly", month: 1 });
    expect((await api("POST", "/gpu/instance/setAutoRenew", { instanceIds: [monthly], autoRenew: true, autoRenewMonth: 2 })).status).toBe(200);
    expect((await get(monthly)).body).toMatchObject({ autoRenew: true, autoRenewMonth: 2, billingMode: "monthly", endTime: expect.stringMatching(/^\d+$/) });
    expect((await api("POST", "/gpu/instance/delete", { instanceId: monthly })).body.reason).toBe("PREPAID_INSTANCE_NOT_SUPPORT_RELEASE");
  });

  it("lists need pageSize and pageNum; pageNum 0 and 1 are the first page", async () => {
    await create({ name: "a" });
    await create({ name: "b" });
    expect((await api("GET", "/gpu/instances")).body.reason).toBe("VALIDATOR_PARAM");
    const first = (await api("GET", "/gpu/instances?pageSize=1&pageNum=1")).body;
    expect(first.total).toBe(2);
    // Compare identities: the status moves on between the two reads.
    const names = (instances: Array<{ id: string; name: string }>) => instances.map((i) => `${i.id}:${i.name}`);
    expect(names((await api("GET", "/gpu/instances?pageSize=1&pageNum=0")).body.instances)).toEqual(names(first.instances));
    expect((await api("GET", "/gpu/instances?pageSize=1&pageNum=2")).body.instances[0].name).not.toBe(first.instances[0].name);
    expect(first.instances[0].connectComponentSSH).toBeUndefined();
  });
});

describe("faults and out-of-band events", () => {
  it("failNextStarts ends in exited with a statusError; stuckNextStarts stays pulling; spot reclaim exits", async () => {
    emu.faults.set("failNextStarts", { count: 1, message: "pull access denied" });
    const failed = await create();
    await until(failed, "exited");
    expect((await get(failed)).body.statusError).toEqual({ state: "pulling", message: "pull access denied" });
    emu.faults.set("stuckNextStarts", { count: 1 });
    const stuck = await create();
    const past = emu.clock.emulatedNow() + 300_000; // far beyond a 70 s create
    await pollUntil(async () => (emu.clock.emulatedNow() > past ? true : undefined));
    expect(await statusOf(stuck)).toBe("pulling");
    const spot = await create({ billingMode: "spot" });
    expect(emu.reclaimSpot(spot)).toBe(true);
    expect((await get(spot)).body).toMatchObject({ status: "exited", spotStatus: "terminated", spotReclaimTime: expect.stringMatching(/^[1-9]\d+$/) });
  });

  it("rejectNextCreates answers the chosen reason; a 404 mode answers unknown ids with 404", async () => {
    emu.faults.set("rejectNextCreates", { count: 1, reason: "CREATE_INSTANCE_LIMIT" });
    expect((await api("POST", "/gpu/instance/create", valid)).body).toMatchObject({ code: 400, reason: "CREATE_INSTANCE_LIMIT" });
    emu.setMissingInstanceStatus(404);
    expect((await get("0000000000000000")).status).toBe(404);
    emu.setMissingInstanceStatus(400);
  });
});
