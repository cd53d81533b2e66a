import { generateKeyPairSync } from "node:crypto";
import { fluencePlanOptions, startFluenceEmulator, type FluenceEmulator } from "../../emulator";
import { openSshPublicKeyText } from "../../emulator/core/sshPublicKey";

// The Fluence emulator on its own, through plain HTTP: what the wire looks like (shared/api/fluence.md).
// Keys, rate limits, core faults, a lost deploy answer and the CLI run for every cloud in emulatorMatrix.test.ts.

const KEY = "fluence_emu_key_1";
let emu: FluenceEmulator;
beforeAll(async () => {
  emu = await startFluenceEmulator({ apiKeys: [KEY], timeScale: 1, provisioningSeconds: 150 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const sshKey = (comment = "me@laptop") => openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, comment);

async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
  const headers: Record<string, string> = {};
  if (key) headers["X-API-KEY"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const h100 = fluencePlanOptions.find((o) => o.kind === "vm" && o.gpuModel.model === "h100" && o.location === "us-east-2" && o.gpuCount === 1)!;
const deployBody = (extra: Record<string, unknown> = {}) => ({ plan_id: h100.id, name: "trainer-1", ssh_key: sshKey(), os_image: h100.osOptions[0], ...extra });

test("plans: grouped by model then count; aggregates are computed from the options", async () => {
  const res = await call("GET", "/gpu/plans/vms");
  expect(res.status).toBe(200);
  const h100Group = res.body.data.find((g: any) => g.gpu_model.model === "h100");
  const single = h100Group.availability_by_number.find((c: any) => c.gpu_count === 1);
  const prices = single.options.map((o: any) => o.pricing.hour);
  expect(single.minimum_price).toBe(Math.min(...prices));
  expect(single.options_available_total).toBe(single.options.length);
  expect(single.locations).toEqual(expect.arrayContaining(single.options.map((o: any) => o.location)));
  expect(h100Group.minimum_price).toBeLessThanOrEqual(single.minimum_price);
  expect(single.options[0]).toMatchObject({ deployment_type: "VM", pricing: { upfront_hours: 3, currency: "USDC" }, os_options: expect.any(Array) });
  const bare = await call("GET", "/gpu/plans/baremetal");
  expect(bare.body.data.flatMap((g: any) => g.availability_by_number.flatMap((c: any) => c.options)).every((o: any) => o.deployment_type === "BAREMETAL")).toBe(true);
});

test("deploy validation: 422 detail list with Pydantic loc/type/msg", async () => {
  const res = await call("POST", "/gpu/instances/vms", { plan_id: "nope", name: "-Bad-", ssh_key: "ssh-ed25519 !!!" });
  expect(res.status).toBe(422);
  const byField = Object.fromEntries(res.body.detail.map((d: any) => [d.loc.join("."), d.type]));
  expect(byField).toEqual({ "body.plan_id": "uuid_parsing", "body.name": "string_pattern_mismatch", "body.ssh_key": "value_error", "body.os_image": "missing" });
  const long = await call("POST", "/gpu/instances/vms", deployBody({ name: "a".repeat(26) }));
  expect(long.body.detail[0]).toMatchObject({ type: "string_too_long", loc: ["body", "name"] });
});

test("unsupported OS image: 400 listing the option's images; nothing deployed", async () => {
  const res = await call("POST", "/gpu/instances/vms", deployBody({ os_image: "windows" }));
  expect(res.status).toBe(400);
  expect(res.body.detail).toBe(`Provided OS image windows is not supported for the selected offer. Available OS images: ${h100.osOptions.join(", ")}`);
  expect(emu.instances()).toEqual([]);
});

test("lifecycle: INITIALIZED → ACTIVE (domain, ssh_connection) → rename 204 → terminate 204 → ENDED, still listed", async () => {
  const deployed = await call("POST", "/gpu/instances/vms", deployBody());
  expect(deployed).toMatchObject({ status: 200, body: { instance_id: expect.any(String) } });
  const id = deployed.body.instance_id;
  const initial = await call("GET", `/gpu/instances/vms/${id}`);
  expect(initial.body).toMatchObject({ status: "INITIALIZED", domain: null, ssh_connection: null, availability: "vm", os_image: h100.osOptions[0] });
  // Terminating a non-ACTIVE instance is refused (documented).
  expect(await call("DELETE", `/gpu/instances/vms/${id}`)).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/Only ACTIVE/) } });
  expect(emu.activateInstance(id)).toBe(true);
  const active = await call("GET", `/gpu/instances/vms/${id}`);
  expect(active.body).toMatchObject({ status: "ACTIVE", location: "us-east-2", resources: { gpu_model: { model: "h100" }, supply: { gpu_count: 1 } } });
  expect(active.body.ssh_connection).toBe(`ssh ubuntu@${active.body.domain}`);
  expect(await call("PUT", `/gpu/instances/vms/${id}`, { name: "renamed" })).toEqual({ status: 204, body: undefined });
  expect(await call("PUT", `/gpu/instances/vms/${id}`, { name: "Bad_Name" })).toMatchObject({ status: 422 });
  expect(await call("DELETE", `/gpu/instances/vms/${id}`)).toEqual({ status: 204, body: undefined });
  const list = await call("GET", "/gpu/instances/vms");
  expect(list.body).toEqual([expect.objectContaining({ id, name: "renamed", status: "ENDED" })]);
  expect(await call("DELETE", `/gpu/instances/vms/${id}`)).toMatchObject({ status: 400 });
  // Bare metal is another path: the VM is not found there.
  expect(await call("GET", `/gpu/instances/baremetal/${id}`)).toMatchObject({ status: 404 });
  expect(await call("GET", "/gpu/instances/vms/not-a-uuid")).toMatchObject({ status: 422 });
});

test("balance: a deploy needs 3 hours of the price; a FAILED deploy is refunded; termination returns the reserve", async () => {
  emu.setBalance(h100.pricePerHour * 3 - 0.01);
  expect(await call("POST", "/gpu/instances/vms", deployBody())).toMatchObject({ status: 400, body: { detail: "Insufficient balance to deploy instance" } });
  emu.setBalance(100);
  emu.faults.set("failNextDeploys", { count: 1 });
  const failed = (await call("POST", "/gpu/instances/vms", deployBody({ name: "doomed" }))).body.instance_id;
  expect(emu.balance()).toBeCloseTo(100 - 3 * h100.pricePerHour);
  emu.activateInstance(failed);
  expect((await call("GET", `/gpu/instances/vms/${failed}`)).body.status).toBe("FAILED");
  expect(emu.balance()).toBeCloseTo(100);
  const ok = (await call("POST", "/gpu/instances/vms", deployBody({ name: "fine" }))).body.instance_id;
  emu.activateInstance(ok);
  await call("DELETE", `/gpu/instances/vms/${ok}`);
  expect(emu.balance()).toBeCloseTo(100 - h100.pricePerHour); // one hour charged
});

test("plan gone: 400 'Plan is no longer available' (knob, or a withdrawn option)", async () => {
  emu.faults.set("planGoneNextDeploys", { count: 1 });
  expect(await call("POST", "/gpu/instances/vms", deployBody())).toMatchObject({ status: 400, body: { detail: "Plan is no longer available" } });
  emu.withdrawOption(h100.id);
  expect(await call("POST", "/gpu/instances/vms", deployBody())).toMatchObject({ status: 400, body: { detail: "Plan is no longer available" } });
  const plans = await call("GET", "/gpu/plans/vms");
  expect(JSON.stringify(plans.body)).not.toContain(h100.id);
});

test("SSH keys: {items, pagination}, ids filter, 409 {code, error} on the same material (comment ignored), legacy 200 with the existing key", async () => {
  const material = sshKey("one");
  const created = await call("POST", "/v1/ssh_keys", { name: "laptop", publicKey: material });
  expect(created).toMatchObject({ status: 200, body: { id: expect.any(String), name: "laptop", algorithm: "ssh-ed25519", fingerprint: expect.stringMatching(/^SHA256:/) } });
  const sameOtherComment = material.replace(/ one$/, " two");
  expect(await call("POST", "/v1/ssh_keys", { name: "again", publicKey: sameOtherComment })).toMatchObject({ status: 409, body: { code: "conflict", error: expect.any(String) } });
  emu.setDuplicateKeyAnswer("legacy200");
  expect(await call("POST", "/v1/ssh_keys", { name: "again", publicKey: sameOtherComment })).toMatchObject({ status: 200, body: { id: created.body.id, name: "laptop" } });
  await call("POST", "/v1/ssh_keys", { name: "other", publicKey: sshKey() });
  const listed = await call("GET", `/v1/ssh_keys?ids=${created.body.id}&page=1&perPage=200`);
  expect(listed.body).toMatchObject({ items: [{ id: created.body.id }], pagination: { totalRecords: 2, filteredRecords: 1, totalPages: 1 } });
  expect(await call("POST", "/v1/ssh_keys", { name: "x", publicKey: "ssh-ed25519 AAAA" })).toMatchObject({ status: 422, body: { code: "unprocessable_entity" } });
  expect(await call("DELETE", `/v1/ssh_keys/${created.body.id}`)).toMatchObject({ status: 200, body: { id: created.body.id } });
  expect(await call("DELETE", `/v1/ssh_keys/${created.body.id}`)).toMatchObject({ status: 404, body: { code: "not_found" } });
});
