import * as fs from "fs";
import * as path from "path";
import type { CloudStack } from "../harness/cloudStack";
import type { HostCallError } from "../harness/dynamicHost";
import { REPO_ROOT } from "../harness/programDir";
import { waitForCondition } from "../harness/waitForCondition";
import { cloudsUnderTest } from "./clouds";

// The fault matrix of issue 7: every fault, every cloud, through Pulumi's dynamic-provider host.
// After each case the emulator's machines are compared with what Pulumi would have recorded
// (ids of successful creates and of partial creates): nothing orphaned, nothing duplicated.

const tally = { cases: 0, orphaned: 0, duplicates: 0, lostFromState: 0 };

afterAll(() => {
  const file = path.join(REPO_ROOT, ".tmp", "reliability-tally.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(tally, null, 2));
});

describe.each(cloudsUnderTest.map((c) => [c.cloud, c] as const))("%s fault matrix", (_name, cloud) => {
  let stack: CloudStack<any>;
  let shared: Record<string, unknown> = {};
  const recorded = new Set<string>();
  /** Everything the provider produced during the matrix, scanned for the key at the end. */
  const produced: string[] = [];

  beforeAll(async () => {
    stack = await cloud.startStack();
    shared = await cloud.prepare(stack);
  });
  afterAll(() => stack.close());
  beforeEach(() => cloud.faults.clear(stack));

  const vmUrn = () => stack.urnOf(cloud.vmResource);
  const createRequests = () => cloud.requests(stack).filter((r) => `${r.method} ${r.path.replace(/\/$/, "")}` === cloud.createRoute).length;
  const named = (name: string) => cloud.machines(stack).filter((m) => m.name === name);

  async function inputsFor(name: string, extra: Record<string, unknown> = {}) {
    const checked = await stack.host.check(vmUrn(), {}, { ...stack.byName(cloud.vmResource).inputs, ...shared, name, ...extra });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  }

  /** Runs a create as the engine would and records what the engine would keep in state. */
  async function create(name: string, extra: Record<string, unknown> = {}, host = stack.host) {
    try {
      const created = await host.create(vmUrn(), await inputsFor(name, extra));
      produced.push(JSON.stringify(created.properties));
      recorded.add(created.id);
      return { created, error: undefined as HostCallError | undefined };
    } catch (err) {
      const e = err as HostCallError;
      produced.push(e.message, JSON.stringify(e.initFailed ?? {}));
      if (e.initFailed?.id) recorded.add(e.initFailed.id);
      return { created: undefined, error: e };
    }
  }

  function audit(name: string) {
    tally.cases++;
    const live = named(name);
    if (live.length > 1) tally.duplicates++;
    for (const m of live) if (!recorded.has(m.id)) (tally.orphaned++, tally.lostFromState++);
    expect(live.length).toBeLessThanOrEqual(1);
    expect(live.filter((m) => !recorded.has(m.id))).toEqual([]);
  }

  test("429 burst with Retry-After: succeeds, nothing resent before Retry-After", async () => {
    cloud.faults.rateLimitBurst(stack, 2, 1);
    const { created, error } = await create("rl");
    expect(error).toBeUndefined();
    expect(created!.id).toBeTruthy();
    const log = cloud.requests(stack).filter((r) => r.path.startsWith(cloud.machinePath));
    const limited = log.filter((r) => r.status === 429);
    expect(limited.length).toBe(2);
    const after = log[log.indexOf(limited[limited.length - 1]) + 1];
    expect(after.at - limited[limited.length - 1].at).toBeGreaterThanOrEqual(995);
    audit("rl");
  });

  test("5xx burst and connection resets on reads: succeeds after retries", async () => {
    cloud.faults.serverErrorsOnReads(stack, 2);
    cloud.faults.resetsOnReads(stack, 1);
    const { error } = await create("flaky");
    expect(error).toBeUndefined();
    audit("flaky");
  });

  test("create's answer lost after the machine was made: exactly one machine, recorded", async () => {
    cloud.faults.loseCreateResponse(stack);
    const { created, error } = await create("lost");
    expect(error).toBeUndefined();
    expect(named("lost").map((m) => m.id)).toEqual([created!.id]);
    audit("lost");
  });

  test("provisioning fails: the cloud's reason, and a machine that remains is a partial create", async () => {
    const reason = cloud.faults.failProvisioning(stack, "Quota exceeded in emulator");
    const { error } = await create("fails");
    expect(error?.message).toMatch(reason);
    if (cloud.failedMachineRemains) {
      expect(error?.initFailed?.id).toBe(named("fails")[0]?.id);
      expect(error?.initFailed?.reasons.join(" ")).toMatch(reason);
    } else {
      expect(named("fails")).toEqual([]);
    }
    audit("fails");
  });

  test("provisioning never completes: partial create at the deadline, with what the waiter saw", async () => {
    cloud.faults.stickProvisioning(stack);
    const { error } = await create("stuck", { createTimeoutSeconds: 2 });
    expect(error?.initFailed?.id).toBe(named("stuck")[0]?.id);
    expect(error?.message).toMatch(/timed out after/);
    expect(error?.message).toMatch(/poll\(s\) over/);
    audit("stuck");
  });

  test("capacity: fails at the first create request with the cloud's words, no wait, no machine", async () => {
    cloud.faults.capacity(stack);
    const before = createRequests();
    const { error } = await create("capacity");
    expect(error?.message).toMatch(cloud.capacityMessage);
    expect(error?.initFailed).toBeUndefined();
    expect(createRequests() - before).toBe(1);
    expect(named("capacity")).toEqual([]);
    audit("capacity");
  });

  test("host killed mid-create, then the same create again: fails closed naming the leftover, no second machine; adoptId takes it", async () => {
    cloud.setTimeScale(stack, 1);
    const first = await stack.newHost();
    const dying = first.create(vmUrn(), await inputsFor("crash")).catch((e) => e);
    await waitForCondition(() => named("crash").length === 1, "the cloud has the machine", 15_000);
    await first.close();
    await dying;
    cloud.setTimeScale(stack, cloud.fastTimeScale);
    const leftover = named("crash")[0].id;
    // A new host knows nothing of the leftover: it may be this resource's, or one a resource records
    // (e.g. the machine being replaced). The cloud marks neither, so the create must not guess.
    const second = await stack.newHost();
    const posts = createRequests();
    const { created, error } = await create("crash", {}, second);
    expect(created).toBeUndefined();
    expect(error?.message).toContain(leftover);
    expect(error?.message).toMatch(/adoptId/);
    expect(error?.initFailed).toBeUndefined();
    expect(createRequests()).toBe(posts);
    const adopted = await create("crash", { adoptId: leftover }, second);
    expect(adopted.error).toBeUndefined();
    expect(adopted.created!.id).toBe(leftover);
    expect(named("crash").map((m) => m.id)).toEqual([leftover]);
    await second.close();
    audit("crash");
  });

  test("delete while the cloud still reports the machine as starting: waits and deletes", async () => {
    cloud.setTimeScale(stack, 1);
    const { error } = await create("early-delete", { createTimeoutSeconds: 1 });
    cloud.setTimeScale(stack, cloud.fastTimeScale);
    const id = error?.initFailed?.id;
    expect(id).toBeTruthy();
    await stack.host.delete(id!, vmUrn(), error!.initFailed!.properties);
    recorded.delete(id!);
    expect(named("early-delete")).toEqual([]);
    audit("early-delete");
  });

  test("machine deleted out of band, then refresh: reported gone", async () => {
    const { created } = await create("oob-delete");
    cloud.deleteOutOfBand(stack, created!.id);
    await expect(stack.host.read(created!.id, vmUrn(), created!.properties)).resolves.toMatchObject({ id: "" });
    audit("oob-delete");
  });

  test("machine renamed out of band, then refresh: new name in outputs and inputs; the next diff puts it back", async () => {
    if (!cloud.renameOutOfBand) return; // the cloud cannot rename machines
    const inputs = await inputsFor("oob-name");
    const created = await stack.host.create(vmUrn(), inputs);
    recorded.add(created.id);
    cloud.renameOutOfBand(stack, created.id, "renamed-elsewhere");
    const read = await stack.host.read(created.id, vmUrn(), created.properties, inputs);
    expect(read.properties.name).toBe("renamed-elsewhere");
    expect(read.inputs?.name).toBe("renamed-elsewhere");
    const diff = await stack.host.diff(created.id, vmUrn(), read.properties, inputs, read.inputs);
    expect(diff.changes).toBe("DIFF_SOME");
    expect(diff.replaces).toEqual(cloud.renameInPlace ? [] : ["name"]);
    audit("renamed-elsewhere");
  });

  test("secrets: the API key appears in no __provider, output, error or line the host printed during the matrix", () => {
    const everything = [
      ...stack.resources.map((r) => JSON.stringify(r.inputs)),
      ...produced,
      ...stack.host.stdout,
      ...stack.host.stderr,
    ].join("\n");
    expect(produced.length).toBeGreaterThan(5);
    expect(everything).not.toContain(stack.apiKey);
  });
});
