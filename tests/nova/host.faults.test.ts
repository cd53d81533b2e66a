import { startNovaEmulator, type NovaEmulator } from "../../emulator";
import { HostCallError, urn, type DynamicHost } from "../harness/dynamicHost";
import { API_KEY, newPublicKey, NovaStack, startNovaStack, TEST_EMULATOR } from "./novaStack";
import { waitForCondition } from "../harness/waitForCondition";

// What a flaky or full Nova does to `pulumi up`: never a second GPU, never a lost one, and
// limits that say so at once.

let stack: NovaStack;
let keyId = "";
beforeAll(async () => {
  stack = await startNovaStack();
  keyId = (await stack.host.create(u("key"), { ...stack.byName("key").inputs })).id;
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.faults.clear());

function u(name: string) {
  return urn(stack.program.project, "test", stack.byName(name).type, name);
}

async function vmInputs(name: string, extra: Record<string, unknown> = {}) {
  const checked = await stack.host.check(u("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: keyId, name, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

const vmsLabelled = (name: string) => stack.emulator.vms().filter((v) => v.instance_label === name);
const posts = () => stack.emulator.stats().byRoute["POST /vms"] ?? 0;

async function cleanUp(id: string, props: Record<string, unknown>) {
  await stack.host.delete(id, u("vm"), props);
}

test("429 burst with Retry-After: create succeeds, one VM, nothing resent before Retry-After", async () => {
  stack.emulator.faults.set("rateLimitBurst", { count: 2, retryAfterSec: 1, pathPrefix: "/vms" });
  const created = await stack.host.create(u("vm"), await vmInputs("rl-1"));
  expect(created.properties.status).toBe("running");
  expect(vmsLabelled("rl-1")).toHaveLength(1);
  const log = stack.emulator.requests().filter((r) => r.path.startsWith("/vms"));
  const limited = log.filter((r) => r.status === 429);
  expect(limited).toHaveLength(2);
  const next = log[log.indexOf(limited[1]) + 1];
  expect(Date.parse(next.at) - Date.parse(limited[1].at)).toBeGreaterThanOrEqual(1000 - 5);
  await cleanUp(created.id, created.properties);
});

test("5xx burst and connection resets on reads: succeeds after retries", async () => {
  const inputs = await vmInputs("flaky-reads");
  stack.emulator.faults.set("serverErrorBurst", { count: 2, status: 502, html: true, method: "GET" });
  stack.emulator.faults.set("connectionResetBurst", { count: 1, method: "GET" });
  const created = await stack.host.create(u("vm"), inputs);
  expect(created.properties.status).toBe("running");
  expect(stack.emulator.stats().faultsFired).toMatchObject({ serverErrorBurst: 2, connectionResetBurst: 1 });
  await cleanUp(created.id, created.properties);
});

test("lost create response: exactly one VM, the one recorded, labelled after the fact", async () => {
  stack.emulator.faults.set("loseCreateResponse", { count: 1 });
  const before = posts();
  const created = await stack.host.create(u("vm"), await vmInputs("lost-1"));
  expect(posts() - before).toBe(1);
  expect(vmsLabelled("lost-1").map((v) => v.id)).toEqual([created.id]);
  expect(stack.emulator.vms().filter((v) => v.instance_label === null)).toEqual([]);
  await cleanUp(created.id, created.properties);
});

test("status failed: partial create carrying the VM id, the inputs and the reason", async () => {
  stack.emulator.faults.set("failNextCreates", { count: 1 });
  const inputs = await vmInputs("fails-1");
  const err: HostCallError = await stack.host.create(u("vm"), inputs).catch((e) => e);
  const [vm] = vmsLabelled("fails-1");
  expect(vm.status).toBe("failed");
  expect(err.message).toMatch(/was created but did not become ready: .*failed/);
  expect(err.initFailed?.id).toBe(vm.id);
  expect(err.initFailed?.properties).toMatchObject({ name: "fails-1", __provider: inputs.__provider, gpuCount: 1, status: "failed", node: "vm02" });
  expect(err.initFailed?.reasons.join("\n")).toMatch(/status failed/);
  // The next `up` calls update: it says the VM cannot recover, and keeps it recorded.
  const again: HostCallError = await stack.host.update(vm.id, u("vm"), err.initFailed!.properties, inputs).catch((e) => e);
  expect(again.initFailed?.id).toBe(vm.id);
  expect(again.message).toMatch(/pulumi destroy/);
  await cleanUp(vm.id, err.initFailed!.properties);
  expect(vmsLabelled("fails-1")).toEqual([]);
});

test("never reaches running: partial create at the deadline with what the waiter saw", async () => {
  stack.emulator.faults.set("stuckNextCreates", { count: 1 });
  const err: HostCallError = await stack.host.create(u("vm"), await vmInputs("stuck-1", { createTimeoutSeconds: 2 })).catch((e) => e);
  const [vm] = vmsLabelled("stuck-1");
  expect(err.initFailed?.id).toBe(vm.id);
  expect(err.message).toMatch(/timed out after 2s/);
  expect(err.initFailed?.reasons.join("\n")).toContain("createTimeoutSeconds (2) passed");
  expect(err.initFailed?.reasons.join("\n")).toMatch(/VM starting/);
  await cleanUp(vm.id, err.initFailed!.properties);
});

test("no free GPUs on the node: fails at the POST, typed, no wait, no VM", async () => {
  stack.emulator.faults.set("capacityNextCreates", { count: 1 });
  const before = posts();
  const err: HostCallError = await stack.host.create(u("vm"), await vmInputs("cap-1", { node: "vm01" })).catch((e) => e);
  expect(err.message).toMatch(/CapacityError|Not enough available GPUs on node vm01/);
  expect(err.initFailed).toBeUndefined();
  expect(posts() - before).toBe(1);
  expect(vmsLabelled("cap-1")).toEqual([]);
});

test("no available offer matches (6000pro ×8): capacity error before any POST; an unknown GPU type is named", async () => {
  const before = posts();
  const full: HostCallError = await stack.host.create(u("vm"), await vmInputs("cap-2", { gpuType: "pro6000", gpuCount: 8 })).catch((e) => e);
  expect(full.message).toMatch(/no available offer of pro6000 ×8/);
  const unknown: HostCallError = await stack.host.create(u("vm"), await vmInputs("cap-3", { gpuType: "h100" })).catch((e) => e);
  expect(unknown.message).toMatch(/no offers for GPU type "h100"; GPU types in \/search now: 4090, 5090, 6000pro/);
  expect(posts()).toBe(before);
});

test("insufficient balance and the max-VMs quota: Nova's words, no VM", async () => {
  stack.emulator.setAccount({ balance: 0.1 });
  const poor: HostCallError = await stack.host.create(u("vm"), await vmInputs("poor-1")).catch((e) => e);
  expect(poor.message).toMatch(/Insufficient balance\. Required: \$0\.56, Available: \$0\.10/);
  stack.emulator.setAccount({ balance: 10_000, maxVms: 0 });
  const quota: HostCallError = await stack.host.create(u("vm"), await vmInputs("quota-1")).catch((e) => e);
  expect(quota.message).toMatch(/VM limit reached/);
  stack.emulator.setAccount({ maxVms: 50 });
  expect(vmsLabelled("poor-1")).toEqual([]);
});

test("host killed after the label, the same create again: fails closed naming the VM (a labelled VM may be a recorded one); adoptId takes it", async () => {
  stack.emulator.setTimeScale(1); // 90 s: the first host dies long before
  const inputs = await vmInputs("crash-1");
  const first = await stack.newHost();
  const dying = first.create(u("vm"), inputs).catch((e) => e);
  await first.waitForOutput(/nova:GpuVm "crash-1": VM creating/, 10_000);
  expect(vmsLabelled("crash-1")).toHaveLength(1);
  await first.close();
  await dying;
  stack.emulator.setTimeScale(600);
  const leftover = vmsLabelled("crash-1")[0].id;
  const second = await stack.newHost();
  const before = posts();
  const err: HostCallError = await second.create(u("vm"), inputs).catch((e) => e);
  expect(err.message).toMatch(new RegExp(`same identity that no resource of this run records.*${leftover}.*adoptId`));
  expect(err.initFailed).toBeUndefined();
  expect(posts()).toBe(before);
  const created = await second.create(u("vm"), { ...inputs, adoptId: leftover });
  expect(created.id).toBe(leftover);
  expect(vmsLabelled("crash-1").map((v) => v.id)).toEqual([leftover]);
  await second.close();
  await cleanUp(created.id, created.properties);
});

test("host killed between the POST and the label, the same create again: the unlabelled VM is adopted and labelled, one VM", async () => {
  const inputs = await vmInputs("crash-2");
  const unlabelled = () => stack.emulator.vms().filter((v) => !v.instance_label);
  expect(unlabelled()).toEqual([]);
  // Nova made the VM; the label PATCH keeps failing until the host dies.
  stack.emulator.faults.set("serverErrorBurst", { count: 1000, status: 503, method: "PATCH" });
  const refused = () => stack.emulator.requests().filter((r) => r.method === "PATCH" && r.status === 503).length;
  const refusedBefore = refused();
  const first = await stack.newHost();
  const dying = first.create(u("vm"), inputs).catch((e) => e);
  await waitForCondition(() => refused() > refusedBefore, "the label PATCH was refused", 10_000);
  await first.close();
  await dying;
  stack.emulator.faults.clear();
  expect(unlabelled()).toHaveLength(1);
  const leftover = unlabelled()[0].id;
  const second = await stack.newHost();
  const before = posts();
  const created = await second.create(u("vm"), inputs);
  expect(created.id).toBe(leftover);
  expect(posts()).toBe(before);
  expect(vmsLabelled("crash-2").map((v) => v.id)).toEqual([leftover]);
  expect(unlabelled()).toEqual([]);
  await second.waitForOutput(/crash-2": adopting .* left unrecorded by an interrupted create/);
  await second.close();
  await cleanUp(created.id, created.properties);
});

describe("observed on refresh", () => {
  let created: { id: string; properties: Record<string, any> };
  beforeAll(async () => {
    created = await stack.host.create(u("vm"), await vmInputs("refresh-1"));
  });

  test("interrupted and offline are surfaced in outputs, not treated as deleted", async () => {
    stack.emulator.interruptVm(created.id);
    await expect(stack.host.read(created.id, u("vm"), created.properties)).resolves.toMatchObject({ id: created.id, properties: { status: "interrupted" } });
    stack.emulator.setVmOffline(created.id, true);
    await expect(stack.host.read(created.id, u("vm"), created.properties)).resolves.toMatchObject({ id: created.id, properties: { status: "offline" } });
    await stack.host.waitForOutput(/refresh-1": VM .* is offline; it still exists/);
    stack.emulator.setVmOffline(created.id, false);
  });

  test("relabelled out of band: the new name in outputs and inputs, and the next diff renames it back", async () => {
    stack.emulator.relabelVmOutOfBand(created.id, "someone-else");
    const read = await stack.host.read(created.id, u("vm"), created.properties, created.properties);
    expect(read.properties.name).toBe("someone-else");
    expect(read.inputs?.name).toBe("someone-else");
    const inputs = await vmInputs("refresh-1");
    await expect(stack.host.diff(created.id, u("vm"), read.properties, inputs, read.inputs)).resolves.toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  });

  test("a refresh that cannot reach Nova fails instead of dropping the VM from state", async () => {
    stack.emulator.faults.set("serverErrorBurst", { count: 50, status: 500, method: "GET" });
    await expect(stack.host.read(created.id, u("vm"), created.properties)).rejects.toThrow(/HTTP 500/);
    stack.emulator.faults.clear();
  });

  test("destroyed out of band: reported gone", async () => {
    stack.emulator.destroyVmOutOfBand(created.id);
    await expect(stack.host.read(created.id, u("vm"), created.properties)).resolves.toMatchObject({ id: "" });
  });
});

test("SshKey: the 5-key account limit is a clear quota error, sent no POST", async () => {
  const made: { id: string; properties: Record<string, any> }[] = [];
  for (let i = stack.emulator.sshKeys().length; i < 5; i++) {
    made.push(await stack.host.create(u("key"), { ...stack.byName("key").inputs, name: `extra-${i}`, publicKey: newPublicKey() }));
  }
  const before = stack.emulator.stats().byRoute["POST /ssh-keys"] ?? 0;
  const err: HostCallError = await stack.host.create(u("key"), { ...stack.byName("key").inputs, name: "sixth", publicKey: newPublicKey() }).catch((e) => e);
  expect(err.message).toMatch(/Nova allows at most 5 SSH keys per account \(the account has: "laptop", "extra-1"/);
  expect(stack.emulator.stats().byRoute["POST /ssh-keys"] ?? 0).toBe(before);
  for (const k of made) await stack.host.delete(k.id, u("key"), k.properties);
});

describe("a Nova without the inferred routes (no VM/key list, no PATCH, no key delete)", () => {
  let bare: NovaEmulator;
  let host: DynamicHost;
  let key: { id: string; properties: Record<string, any> };
  beforeAll(async () => {
    bare = await startNovaEmulator({ ...TEST_EMULATOR, unsupportedRoutes: ["GET /vms", "PATCH /vms/:id", "GET /ssh-keys", "DELETE /ssh-keys/:id"] });
    host = await stack.newHost({}, { "nova:apiKey": API_KEY, "nova:endpoint": bare.url });
  });
  afterAll(async () => {
    await host.close();
    await bare.close();
  });

  test("create and rename still work; the name is kept in the stack, with a warning", async () => {
    key = await host.create(u("key"), stack.byName("key").inputs);
    const inputs = { ...(await vmInputs("bare-1")), sshKeyId: key.id };
    const created = await host.create(u("vm"), inputs);
    expect(created.properties).toMatchObject({ name: "bare-1", status: "running" });
    expect(bare.vms()).toEqual([expect.objectContaining({ id: created.id, instance_label: null })]);
    await host.waitForOutput(/Nova cannot label VMs \(PATCH \/vms\/\{id\} is not available\); the name is kept in the stack only/);
    const renamed = await host.update(created.id, u("vm"), created.properties, { ...inputs, name: "bare-2" }, inputs);
    expect(renamed.properties.name).toBe("bare-2");
    const read = await host.read(created.id, u("vm"), renamed.properties);
    expect(read.properties.name).toBe("bare-2");
    await host.delete(created.id, u("vm"), renamed.properties);
    expect(bare.vms()).toEqual([]);
  });

  test("a lost create answer without GET /vms: fails closed (whether Nova made a VM cannot be told), no second POST, the VM is not lost silently", async () => {
    const inputs = { ...(await vmInputs("bare-lost")), sshKeyId: key.id };
    bare.faults.set("loseCreateResponse", { count: 1 });
    const before = bare.stats().byRoute["POST /vms"] ?? 0;
    const err: HostCallError = await host.create(u("vm"), inputs).catch((e) => e);
    expect(err.message).toMatch(/the create's answer was lost .* Nova cannot list machines, so whether it made one cannot be told. Nothing more was sent/);
    expect(err.message).toMatch(/adoptId/);
    expect(err.initFailed).toBeUndefined();
    expect((bare.stats().byRoute["POST /vms"] ?? 0) - before).toBe(1); // never a duplicate VM
    const [made] = bare.vms();
    expect(bare.vms()).toHaveLength(1);
    // The user finds it in the console and adopts it.
    const adopted = await host.create(u("vm"), { ...inputs, adoptId: made.id });
    expect(adopted.id).toBe(made.id);
    await host.delete(made.id, u("vm"), adopted.properties);
    expect(bare.vms()).toEqual([]);
  });

  test("key delete without a route: succeeds with a warning naming what is left; the 6th key is still a clear error", async () => {
    await host.delete(key.id, u("key"), key.properties);
    expect(bare.sshKeys().map((k) => k.id)).toEqual([key.id]);
    await host.waitForOutput(/Nova has no route to delete SSH keys; key .* stays in the account/);
    for (let i = 1; i < 5; i++) await host.create(u("key"), { ...stack.byName("key").inputs, name: `k${i}`, publicKey: newPublicKey() });
    const err: HostCallError = await host.create(u("key"), { ...stack.byName("key").inputs, name: "k5", publicKey: newPublicKey() }).catch((e) => e);
    expect(err.message).toMatch(/Nova allows at most 5 SSH keys per account.*Nova said: .*Maximum of 5 SSH keys allowed per account/);
  });
});
