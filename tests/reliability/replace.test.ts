import { handlerFor } from "../../provider";
import type { CloudStack } from "../harness/cloudStack";
import type { Door } from "../harness/doors";
import type { DynamicHost, HostCallError } from "../harness/dynamicHost";
import { cloudsUnderTest } from "./clouds";
import { MISSING, type CloudUnderTest, type ReplaceCase } from "./cloudsUnderTest";

// Issue 21: a replacement must never adopt the machine it replaces (the engine deletes that one
// next). Carried through Pulumi's dynamic-provider host the way the engine does it, for every input
// of every cloud's GpuVm whose rule can force a replacement (read from the rule table, so a new
// replace field is tested here as soon as it exists, and fails until its cloud entry gives a case):
// check, create, check + diff with the change (replace), then create-before-delete (the default)
// or delete-before-create (`deleteBeforeReplace`); afterwards exactly one machine lives: the new one.
// The native plugin calls the same handlers (so feeds the same adoption ledger from Check/Diff/
// Read/Update/Delete); it runs the same cases for GPCN, one fail-closed cloud, to prove that door
// passes what the ledger needs without doubling this suite's ~80 machines per cloud.
const runs: Array<readonly [string, CloudUnderTest, Door]> = [
  ...cloudsUnderTest.map((c) => [`${c.cloud} via dynamic`, c, "dynamic"] as const),
  ...cloudsUnderTest.filter((c) => c.cloud === "gpcn").map((c) => [`${c.cloud} via plugin`, c, "plugin"] as const),
];

/** Inputs whose change can plan a replacement: replace rules, and in-place rules that replace one way (a disk shrink). */
function replaceFields(type: string): string[] {
  return Object.entries(handlerFor(type).rules.fields)
    .filter(([, rule]) => rule.change === "replace" || (rule.change === "inPlace" && rule.replaceWhen))
    .map(([field]) => field);
}

function merged(...parts: Array<Record<string, unknown> | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) for (const [k, v] of Object.entries(part ?? {})) v === MISSING ? delete out[k] : (out[k] = v);
  return out;
}

describe.each(runs)("%s: a replacement never adopts the machine it replaces", (_name, cloud: CloudUnderTest, door: Door) => {
  let stack: CloudStack<any>;
  let shared: Record<string, unknown> = {};
  let cases: Record<string, ReplaceCase> = {};
  let host: DynamicHost;
  const fields = replaceFields(cloud.vmType);
  // Some 80 machines in one run: neither the cloud's rate window nor the client's budget is what is tested here.
  const unthrottled = () => ({ [`${cloud.cloud}:apiKey`]: stack.apiKey, [`${cloud.cloud}:endpoint`]: stack.emulator.url, [`${cloud.cloud}:requestsPerMinute`]: "6000" });

  beforeAll(async () => {
    stack = await cloud.startStack(door);
    stack.emulator.setRateLimit(null);
    host = await stack.newHost({}, unthrottled());
    shared = await cloud.prepare(stack);
    cases = await cloud.replaceCases(stack, shared);
  });
  afterAll(() => stack.close());

  const urn = () => stack.urnOf(cloud.vmResource);
  const live = (ids: string[]) => cloud.machines(stack).filter((m) => ids.includes(m.id)).map((m) => m.id);
  const createRequests = () => cloud.requests(stack).filter((r) => `${r.method} ${r.path.replace(/\/$/, "")}` === cloud.createRoute).length;

  test("the rule table has replace fields, and every one has a case", () => {
    expect(fields.length).toBeGreaterThan(2);
    expect(fields.filter((f) => !cases[f])).toEqual([]);
  });

  /** The resource as the engine has it after `up`: created through check + create. */
  async function deployed(name: string, c: ReplaceCase) {
    const program = merged(stack.byName(cloud.vmResource).inputs, shared, { name }, c.from);
    const checked = await host.check(urn(), {}, program);
    expect(checked.failures).toEqual([]);
    const created = await host.create(urn(), checked.inputs);
    return { program, inputs: checked.inputs, ...created };
  }

  /** The next `up` with the changed program: check against the old inputs, then diff. */
  async function planReplace(field: string, old: Awaited<ReturnType<typeof deployed>>, c: ReplaceCase) {
    const checked = await host.check(urn(), old.inputs, merged(old.program, c.to));
    expect(checked.failures).toEqual([]);
    const diff = await host.diff(old.id, urn(), old.properties, checked.inputs, old.inputs);
    expect(diff.changes).toBe("DIFF_SOME");
    expect(diff.replaces).toContain(field);
    return checked.inputs;
  }

  describe.each(fields.map((f) => [f]))("%s", (field) => {
    test("create-before-delete: the replacement is a new machine; after the old id is deleted exactly one lives, the new one", async () => {
      const c = cases[field];
      const old = await deployed(`cbd-${field}`.toLowerCase(), c);
      const news = await planReplace(field, old, c);
      const replacement = await host.create(urn(), news);
      expect(replacement.id).not.toBe(old.id);
      expect(live([old.id, replacement.id]).sort()).toEqual([old.id, replacement.id].sort());
      await host.delete(old.id, urn(), old.properties);
      expect(live([old.id, replacement.id])).toEqual([replacement.id]);
      cloud.deleteOutOfBand(stack, replacement.id); // tidying up, not under test (a prepaid instance refuses deletion)
    });

    test("deleteBeforeReplace: the old machine goes first, the replacement is a new one; exactly one lives", async () => {
      const c = cases[field];
      const old = await deployed(`dbr-${field}`.toLowerCase(), c);
      const news = await planReplace(field, old, c);
      await host.delete(old.id, urn(), old.properties);
      const replacement = await host.create(urn(), news);
      expect(replacement.id).not.toBe(old.id);
      expect(live([old.id, replacement.id])).toEqual([replacement.id]);
      cloud.deleteOutOfBand(stack, replacement.id);
    });
  });

  test("`pulumi up --replace` (the engine replaces without calling Diff): the create checked against old inputs makes a new machine, never takes the old one", async () => {
    const c = cases[fields[0]];
    const old = await deployed("forced-replace", c);
    // The engine checks the unchanged program against the old inputs, then creates: no Diff, no old id.
    const checked = await host.check(urn(), old.inputs, old.program);
    const replacement = await host.create(urn(), checked.inputs);
    expect(replacement.id).not.toBe(old.id);
    await host.delete(old.id, urn(), old.properties);
    expect(live([old.id, replacement.id])).toEqual([replacement.id]);
    cloud.deleteOutOfBand(stack, replacement.id);
  });

  test("a crash leftover and a replace of the same resource in one run: neither is adopted blindly; the leftover is named, then adopted with adoptId", async () => {
    const field = fields.find((f) => f !== "name") ?? fields[0];
    const c = cases[field];
    const old = await deployed("leftover-and-replace", c);
    const news = await planReplace(field, old, c);
    // An earlier `up` of the same change died after the cloud made the replacement: the cloud has
    // it, the stack does not (another host made it, and its answer never reached any state).
    const other = await stack.newHost({}, unthrottled());
    const leftover = await other.create(urn(), news);
    await other.close();
    const posts = createRequests();
    const err: HostCallError = await host.create(urn(), news).then(
      () => {
        throw new Error("the replacement's create succeeded although a leftover of the same identity exists");
      },
      (e) => e,
    );
    expect(err.message).toContain(leftover.id);
    expect(err.message).not.toContain(old.id);
    expect(err.message).toMatch(/adoptId/);
    expect(err.initFailed).toBeUndefined();
    expect(createRequests()).toBe(posts); // no second machine
    expect(live([old.id, leftover.id]).sort()).toEqual([old.id, leftover.id].sort());
    // The user names it: the replacement takes the leftover, the engine deletes the old machine.
    const adopted = await host.create(urn(), { ...news, adoptId: leftover.id });
    expect(adopted.id).toBe(leftover.id);
    await host.delete(old.id, urn(), old.properties);
    expect(live([old.id, leftover.id])).toEqual([leftover.id]);
    await host.delete(leftover.id, urn(), adopted.properties);
  });
});
