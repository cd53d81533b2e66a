import { HostCallError, urn } from "../harness/dynamicHost";
import { CHEAPEST_H100, FluenceStack, newPublicKey, PUBLIC_KEY, startFluenceStack } from "./fluenceStack";

// What a flaky or busy cloud does to `pulumi up`: never a second GPU, never a lost one, never a
// FAILED instance recorded as if it ran.

let stack: FluenceStack;
beforeAll(async () => {
  stack = await startFluenceStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.faults.clear();
  stack.emulator.setBalance(1000);
});

const u = (name: string) => urn(stack.program.project, "test", stack.byName(name).type, name);

async function vmInputs(name: string, extra: Record<string, unknown> = {}) {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshPublicKey: PUBLIC_KEY, name, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

const named = (name: string) => stack.emulator.instances().filter((i) => i.name === name);
const deploys = () => stack.emulator.stats().byRoute["POST /gpu/instances/vms"] ?? 0;

test("429 burst with Retry-After: create succeeds, the 429s were waited out", async () => {
  stack.emulator.faults.set("rateLimitBurst", { count: 2, retryAfterSec: 1, pathPrefix: "/gpu/" });
  const created = await stack.host.create(u("vm"), await vmInputs("rl-1"));
  expect(created.properties.status).toBe("ACTIVE");
  expect(named("rl-1")).toHaveLength(1);
  expect(stack.emulator.requests().filter((r) => r.path.startsWith("/gpu/") && r.status === 429)).toHaveLength(2);
});

test("lost deploy response: exactly one instance, and it is the one recorded", async () => {
  stack.emulator.faults.set("loseDeployResponse", { count: 1 });
  const before = deploys();
  const created = await stack.host.create(u("vm"), await vmInputs("lost-1"));
  expect(named("lost-1").map((i) => i.id)).toEqual([created.id]);
  expect(deploys() - before).toBe(1);
  await stack.host.waitForOutput(/"lost-1": the create's answer was lost but the machine exists; adopting it/);
});

test("provisioning FAILED: a plain, clear error (refunded, nothing recorded); the next up deploys anew", async () => {
  stack.emulator.faults.set("failNextDeploys", { count: 1 });
  const inputs = await vmInputs("fails-1");
  const err: HostCallError = await stack.host.create(u("vm"), inputs).catch((e) => e);
  const [failed] = named("fails-1");
  expect(failed.status).toBe("FAILED");
  expect(err.message).toContain(`Fluence instance ${failed.id} did not start`);
  expect(err.message).toMatch(/FAILED/);
  expect(err.message).toMatch(/refunds/);
  expect(err.initFailed).toBeUndefined(); // not in state as if it ran
  expect(stack.emulator.balance()).toBeCloseTo(1000);
  const again = await stack.host.create(u("vm"), inputs);
  expect(again.id).not.toBe(failed.id);
  expect(named("fails-1").map((i) => i.status).sort()).toEqual(["ACTIVE", "FAILED"]);
});

test("stuck INITIALIZED past createTimeoutSeconds: partial create with the id; delete then waits for ACTIVE and terminates", async () => {
  stack.emulator.faults.set("stuckNextDeploys", { count: 1 });
  const err: HostCallError = await stack.host.create(u("vm"), await vmInputs("stuck-1", { createTimeoutSeconds: 2 })).catch((e) => e);
  const [stuck] = named("stuck-1");
  expect(err.initFailed?.id).toBe(stuck.id);
  expect(err.initFailed?.properties).toMatchObject({ name: "stuck-1", kind: "vm", __provider: stack.byName("vm").inputs.__provider });
  expect(err.initFailed?.reasons.join("\n")).toContain("createTimeoutSeconds (2) passed");

  const deletes = () => stack.emulator.requests().filter((r) => r.method === "DELETE" && r.path.endsWith(stuck.id));
  const deleting = stack.host.delete(stuck.id, u("vm"), { ...err.initFailed!.properties, deleteTimeoutSeconds: 60 });
  await stack.host.waitForOutput(/"stuck-1": instance .* is INITIALIZED; Fluence only terminates ACTIVE instances, waiting for ACTIVE/);
  expect(deletes()).toEqual([]); // nothing sent that Fluence would refuse
  expect(stack.emulator.activateInstance(stuck.id)).toBe(true);
  await deleting;
  expect(named("stuck-1")).toEqual([expect.objectContaining({ status: "ENDED" })]);
  expect(deletes().map((r) => r.status)).toEqual([204]);
});

test("plan no longer available: a capacity error at the deploy, no wait, no instance", async () => {
  stack.emulator.faults.set("planGoneNextDeploys", { count: 1 });
  const before = deploys();
  const err: HostCallError = await stack.host.create(u("vm"), await vmInputs("gone-1")).catch((e) => e);
  expect(err.message).toContain("Plan is no longer available");
  expect(err.initFailed).toBeUndefined();
  expect(named("gone-1")).toEqual([]);
  expect(deploys() - before).toBe(1);
});

test("insufficient balance: the error says deploying needs 3 hours of the plan's price", async () => {
  stack.emulator.setBalance(1);
  const err: HostCallError = await stack.host.create(u("vm"), await vmInputs("poor-1")).catch((e) => e);
  expect(err.message).toContain("Insufficient balance to deploy instance");
  expect(err.message).toContain(`needs 3 hours of the plan's price`);
  expect(err.message).toContain(`3 × ${CHEAPEST_H100.pricePerHour} USDC/h = ${+(3 * CHEAPEST_H100.pricePerHour).toFixed(4)} USDC`);
  expect(named("poor-1")).toEqual([]);
});

test("selection narrowed by location and price ceiling; nothing under the ceiling is refused at check, and at create a capacity error listing the offers", async () => {
  const created = await stack.host.create(u("vm"), await vmInputs("narrow-1", { location: "dulles-usa-1" }));
  expect(created.properties).toMatchObject({ location: "dulles-usa-1", pricePerHour: 2.45, currency: "USDC", priceSource: "cloud" });
  const before = deploys();
  const capped = { ...stack.byName("vm").inputs, sshPublicKey: PUBLIC_KEY, name: "cheap-1", maxPricePerHour: 1 };
  // The budget guard (issue 16): the cheapest h100 ×1 is 1.95 USDC/h, over the cap; cheaper plans are named.
  const checked = await stack.host.check(u("vm"), {}, capped);
  expect(checked.failures).toEqual([{ property: "maxPricePerHour", reason: expect.stringMatching(/costs 1.95 USDC\/h, over the cap of 1 USDC\/h; offers that fit: rtx4090/) }]);
  // A create that skips check (multicloud's path) still refuses before deploying.
  const err: HostCallError = await stack.host.create(u("vm"), capped).catch((e) => e);
  expect(err.message).toMatch(/no h100 ×1 option at most 1\/h now; offered now: .*h100 ×1 from 1.95\/h/);
  expect(deploys()).toBe(before);
});

test("SshKey: an upload of material the library already holds adopts it (409, and the legacy 200)", async () => {
  const material = newPublicKey("first");
  const first = await stack.host.create(u("key"), { ...stack.byName("key").inputs, name: "dup-a", publicKey: material });
  const again = await stack.host.create(u("key"), { ...stack.byName("key").inputs, name: "dup-b", publicKey: material.replace(/first$/, "second") });
  expect(again.id).toBe(first.id);
  expect(again.properties).toMatchObject({ name: "dup-b", libraryName: "dup-a", fingerprint: first.properties.fingerprint });
  await stack.host.waitForOutput(/"dup-b": the key library already holds this key as "dup-a"/);
  stack.emulator.setDuplicateKeyAnswer("legacy200");
  const legacy = await stack.host.create(u("key"), { ...stack.byName("key").inputs, name: "dup-c", publicKey: material });
  expect(legacy.id).toBe(first.id);
  stack.emulator.setDuplicateKeyAnswer("conflict");
  expect(stack.emulator.sshKeys().filter((k) => k.fingerprint === first.properties.fingerprint)).toHaveLength(1);
  // The adopted key keeps its library name; refresh does not turn that into a replacement.
  const read = await stack.host.read(again.id, u("key"), again.properties);
  await expect(stack.host.diff(again.id, u("key"), read.properties, { ...stack.byName("key").inputs, name: "dup-b", publicKey: material }, read.inputs)).resolves.toMatchObject({ changes: "DIFF_NONE" });
});

test("instance ended out of band, then refresh: reported gone; delete succeeds", async () => {
  const created = await stack.host.create(u("vm"), await vmInputs("oob-end"));
  stack.emulator.endInstanceOutOfBand(created.id);
  await expect(stack.host.read(created.id, u("vm"), created.properties)).resolves.toMatchObject({ id: "" });
  await expect(stack.host.delete(created.id, u("vm"), created.properties)).resolves.toBeUndefined();
});

test("renamed out of band, then refresh: the new name comes back as an input and the next diff renames in place", async () => {
  const inputs = await vmInputs("oob-name");
  const created = await stack.host.create(u("vm"), inputs);
  stack.emulator.renameInstanceOutOfBand(created.id, "someone-else");
  const read = await stack.host.read(created.id, u("vm"), created.properties, inputs);
  expect(read.inputs?.name).toBe("someone-else");
  await expect(stack.host.diff(created.id, u("vm"), read.properties, inputs, read.inputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
});

test("a refresh that cannot reach Fluence fails instead of dropping the instance", async () => {
  const created = await stack.host.create(u("vm"), await vmInputs("refresh-5xx"));
  stack.emulator.faults.set("serverErrorBurst", { count: 50, status: 500, method: "GET" });
  await expect(stack.host.read(created.id, u("vm"), created.properties)).rejects.toThrow(/HTTP 500/);
});
