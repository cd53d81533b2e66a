/** The Nova emulator against the documented shapes (nova.md), with an injected clock. */

import { generateKeyPairSync } from "crypto";
import { EmulatedClock, startNovaEmulator, type NovaEmulator, type NovaEmulatorOptions } from "../../emulator";
import { openSshPublicKeyText } from "../../emulator/core/sshPublicKey";

const KEY = "nv_live_emulator_test";
let wall: number;
let emu: NovaEmulator;

async function start(extra: NovaEmulatorOptions = {}) {
  wall = Date.UTC(2026, 2, 1, 10, 0, 0);
  emu = await startNovaEmulator({ apiKeys: [KEY], clock: new EmulatedClock({ now: () => wall }), rateLimit: null, seed: "nova", account: { balance: 1000, maxVms: 10, maxHourlySpend: 100 }, ...extra });
}
afterEach(() => emu.close());

async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
  const headers: Record<string, string> = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const pub = (comment = "me") => openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, comment);
const vmBody = (extra: Record<string, unknown> = {}) => ({ node: "vm01", gpu_type: "4090", gpu_count: 1, storage_gb: 100, template_vmid: 101, ...extra });

const DOCUMENTED_VM_FIELDS = [
  "id", "vmid", "user_id", "node", "instance_label", "gpu_type", "gpu_count", "storage_gb", "ram_gb", "cpu_cores", "ip_address", "status",
  "created_at", "started_at", "stopped_at", "rental_type", "reservation_id", "auto_restart", "hourly_rate", "gpu_hourly_rate", "storage_hourly_rate",
  "cpu_percent", "ram_percent", "cpu_model", "pcie_gen",
].sort();

describe("VM lifecycle", () => {
  beforeEach(() => start());

  test("POST /vms answers the documented VM object in creating; it walks creating → starting → running and gets an IP", async () => {
    const key = await call("POST", "/ssh-keys", { ssh_public_key: pub(), label: "laptop" });
    const created = await call("POST", "/vms", vmBody({ ssh_key_id: key.body.id }));
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(DOCUMENTED_VM_FIELDS);
    expect(created.body).toMatchObject({ status: "creating", instance_label: null, ip_address: null, node: "vm01", gpu_type: "4090", rental_type: "on_demand", started_at: null });
    expect(created.body.hourly_rate).toBeCloseTo(0.6 + 100 * 0.00014, 4);
    const get = () => call("GET", `/vms/${created.body.id}`).then((r) => r.body);
    wall += 60_000;
    expect(await get()).toMatchObject({ status: "starting", ip_address: null });
    wall += 30_000;
    const running = await get();
    expect(running).toMatchObject({ status: "running", ip_address: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), started_at: new Date(Date.UTC(2026, 2, 1, 10, 1, 30)).toISOString() });
    expect((await call("GET", "/vms?limit=50&offset=0")).body.map((v: any) => v.id)).toEqual([created.body.id]);
  });

  test("stop, start, restart; a wrong-state action is a 400 {detail}; PATCH sets the label; DELETE ends in destroyed", async () => {
    const { body: vm } = await call("POST", "/vms", vmBody({ auth_method: "password", password: "a-long-password" }));
    const path = `/vms/${vm.id}`;
    expect(await call("POST", `${path}/stop`)).toMatchObject({ status: 400, body: { detail: "Cannot stop VM in status creating" } });
    wall += 90_000;
    expect((await call("POST", `${path}/stop`)).body.status).toBe("stopping");
    wall += 10_000;
    expect((await call("GET", path)).body).toMatchObject({ status: "stopped", stopped_at: expect.any(String) });
    expect((await call("POST", `${path}/start`)).body.status).toBe("starting");
    wall += 20_000;
    expect((await call("POST", `${path}/restart`)).body.status).toBe("stopping");
    expect(await call("PATCH", path, { instance_label: "trainer", auto_restart: true })).toMatchObject({ status: 200, body: { instance_label: "trainer", auto_restart: true } });
    expect(await call("PATCH", path, { gpu_count: 2 })).toMatchObject({ status: 400 });
    expect((await call("DELETE", path)).status).toBe(200);
    wall += 15_000;
    expect((await call("GET", path)).body.status).toBe("destroyed");
    expect(await call("DELETE", path)).toMatchObject({ status: 404, body: { detail: "VM not found" } });
    expect(emu.vms()).toEqual([]);
  });

  test("the account's oldest key is used when ssh_key_id is omitted; none at all is a 400", async () => {
    expect(await call("POST", "/vms", vmBody())).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/No SSH key found/) } });
    await call("POST", "/ssh-keys", { ssh_public_key: pub("old") });
    expect((await call("POST", "/vms", vmBody())).status).toBe(201);
  });

  test("reserved: a reservation id, the discount, and the first month paid up front", async () => {
    const before = emu.account().balance;
    const { status, body } = await call("POST", "/vms", vmBody({ rental_type: "reserved", reservation_months: 6, auth_method: "password", password: "a-long-password" }));
    expect(status).toBe(201);
    expect(body.reservation_id).toEqual(expect.any(String));
    expect(body.gpu_hourly_rate).toBeCloseTo(0.6 * 0.8, 4);
    expect(emu.account().balance).toBeCloseTo(before - body.hourly_rate * 730, 1);
    const quote = await call("POST", "/reservations/calculate", { gpu_type: "4090", gpu_count: 1, storage_gb: 100, reservation_months: 3 });
    expect(Object.keys(quote.body).sort()).toEqual(["cancellation_fee_25_percent", "deposit_required", "discount_percent", "hourly_rate_after_discount", "monthly_cost"]);
  });

  test("destroyed VMs can be made to answer 404 instead", async () => {
    await emu.close();
    await start({ keepDestroyedVms: false });
    const { body: vm } = await call("POST", "/vms", vmBody({ auth_method: "password", password: "a-long-password" }));
    await call("DELETE", `/vms/${vm.id}`);
    wall += 15_000;
    expect((await call("GET", `/vms/${vm.id}`)).status).toBe(404);
  });
});

describe("validation and errors", () => {
  beforeEach(() => start());

  test("field errors: 422 in FastAPI's list form", async () => {
    const res = await call("POST", "/vms", vmBody({ gpu_count: 3, storage_gb: 20, password: "short" }));
    expect(res.status).toBe(422);
    expect(res.body.detail.map((d: any) => d.loc.join("."))).toEqual(["body.gpu_count", "body.storage_gb", "body.password"]);
    expect(res.body.detail[1]).toMatchObject({ type: "greater_than_equal", msg: "Input should be greater than or equal to 50" });
    const missing = await call("POST", "/vms", { node: "vm01" });
    expect(missing.body.detail.filter((d: any) => d.type === "missing").map((d: any) => d.loc[1])).toEqual(["gpu_type", "gpu_count", "storage_gb", "template_vmid"]);
  });

  test("reserved without months and password auth without a password: model errors", async () => {
    const reserved = await call("POST", "/vms", vmBody({ rental_type: "reserved" }));
    expect(reserved).toMatchObject({ status: 422, body: { detail: [expect.objectContaining({ loc: ["body"], msg: expect.stringMatching(/reservation_months is required/) })] } });
    const pw = await call("POST", "/vms", vmBody({ auth_method: "password" }));
    expect(pw.body.detail[0].msg).toMatch(/password is required when auth_method is password/);
  });

  test("unknown node, template, GPU type on node: {detail} strings", async () => {
    await call("POST", "/ssh-keys", { ssh_public_key: pub() });
    expect(await call("POST", "/vms", vmBody({ node: "vm99" }))).toMatchObject({ status: 404, body: { detail: "Node vm99 not found" } });
    expect(await call("POST", "/vms", vmBody({ template_vmid: 110 }))).toMatchObject({ status: 404, body: { detail: "Template 110 not found" } });
    expect(await call("POST", "/vms", vmBody({ gpu_type: "5090" }))).toMatchObject({ status: 400 });
  });

  test("quotas: max VMs, balance (the documented message), max hourly spend, free GPUs", async () => {
    await call("POST", "/ssh-keys", { ssh_public_key: pub() });
    emu.setAccount({ balance: 0.5 });
    expect((await call("POST", "/vms", vmBody())).body.detail).toBe("Insufficient balance. Required: $0.61, Available: $0.50");
    emu.setAccount({ balance: 1000, maxHourlySpend: 1 });
    expect((await call("POST", "/vms", vmBody({ gpu_count: 2 }))).body.detail).toMatch(/^Maximum hourly spend exceeded/);
    emu.setAccount({ maxHourlySpend: 100, maxVms: 1 });
    expect((await call("POST", "/vms", vmBody({ gpu_count: 8 }))).status).toBe(201);
    expect((await call("POST", "/vms", vmBody())).body.detail).toMatch(/^VM limit reached/);
    emu.setAccount({ maxVms: 10 });
    expect((await call("POST", "/vms", vmBody())).body.detail).toBe("Not enough available GPUs on node vm01: requested 1, available 0");
  });

  // Refusals and the public routes run for every cloud in emulatorMatrix.test.ts.
  test("/pricing lists the GPU prices; unknown paths answer FastAPI's 404", async () => {
    expect((await call("GET", "/pricing", undefined, null)).body).toMatchObject({ gpus: { "5090": 0.89, "4090": 0.6, "6000pro": 1.79 } });
    expect(await call("GET", "/nope")).toMatchObject({ status: 404, body: { detail: "Not Found" } });
  });
});

describe("offers", () => {
  beforeEach(() => start());

  test("one offer per node and GPU count, with the fields a real client reads; availability follows use", async () => {
    const offers = (await call("GET", "/search", undefined, null)).body;
    expect(offers[0]).toEqual({
      node: "vm01", gpu_type: "4090", gpu_count: 1, gpu_ram_mb: 24576, gpu_price_hourly: 0.6, interruptible_rate: 0.18, available: true, location: "Helsinki, FI", cpu_cores: 16, ram_gb: 64,
    });
    expect(offers.filter((o: any) => o.node === "vm05").map((o: any) => o.gpu_count)).toEqual([1, 2, 4]);
    await call("POST", "/vms", vmBody({ node: "vm02", gpu_count: 4, auth_method: "password", password: "a-long-password" }));
    const after = (await call("GET", "/search?gpu_type=4090", undefined, null)).body;
    expect(after.filter((o: any) => o.node === "vm02").every((o: any) => !o.available)).toBe(true);
    expect(after.every((o: any) => o.gpu_type === "4090")).toBe(true);
  });
});

describe("SSH keys", () => {
  beforeEach(() => start());

  test("upload answers {id, label, key_type, fingerprint, created_at}, never the key text; at most 5", async () => {
    const first = await call("POST", "/ssh-keys", { ssh_public_key: pub() });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body).sort()).toEqual(["created_at", "fingerprint", "id", "key_type", "label"]);
    expect(first.body).toMatchObject({ label: "Default SSH Key", key_type: "ssh-ed25519", fingerprint: expect.stringMatching(/^SHA256:/) });
    for (let i = 0; i < 4; i++) await call("POST", "/ssh-keys", { ssh_public_key: pub(), label: `k${i}` });
    expect(await call("POST", "/ssh-keys", { ssh_public_key: pub() })).toMatchObject({ status: 400, body: { detail: "Maximum of 5 SSH keys allowed per account" } });
    expect((await call("GET", "/ssh-keys")).body).toHaveLength(5);
    expect((await call("DELETE", `/ssh-keys/${first.body.id}`)).status).toBe(204);
    expect((await call("GET", `/ssh-keys/${first.body.id}`)).status).toBe(404);
  });

  test("key types and sizes: RSA under 2048 bits and P-384 are refused; too long is 422", async () => {
    const rsa1024 = openSshPublicKeyText(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey);
    expect((await call("POST", "/ssh-keys", { ssh_public_key: rsa1024 })).body.detail).toMatch(/at least 2048 bits/);
    const p384 = openSshPublicKeyText(generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey);
    expect((await call("POST", "/ssh-keys", { ssh_public_key: p384 })).body.detail).toMatch(/Unsupported key type ecdsa-sha2-nistp384/);
    const p256 = openSshPublicKeyText(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey);
    expect((await call("POST", "/ssh-keys", { ssh_public_key: p256 })).body.key_type).toBe("ecdsa-sha2-nistp256");
    expect((await call("POST", "/ssh-keys", { ssh_public_key: "x".repeat(16_001) })).status).toBe(422);
  });
});

test("inferred routes can be switched off: FastAPI's 404 Not Found", async () => {
  await start({ unsupportedRoutes: ["GET /vms", "PATCH /vms/:id", "DELETE /ssh-keys/:id"] });
  expect(await call("GET", "/vms")).toMatchObject({ status: 404, body: { detail: "Not Found" } });
  expect(await call("PATCH", "/vms/x", {})).toMatchObject({ status: 404, body: { detail: "Not Found" } });
  expect(await call("DELETE", "/ssh-keys/x")).toMatchObject({ status: 404, body: { detail: "Not Found" } });
});
