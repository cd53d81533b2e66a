import { handlerFor } from "../../provider";
import type { CloudStack } from "../harness/cloudStack";
import { doors, type Door } from "../harness/doors";
import type { DynamicHost, HostCallError } from "../harness/dynamicHost";
import { cloudsUnderTest } from "./clouds";
import { MISSING, type CloudUnderTest, type ReplaceCase, type SshKeyUnderTest } from "./cloudsUnderTest";

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

type Props = Record<string, any>;
interface Deployed {
  program: Props;
  inputs: Props;
  id: string;
  properties: Props;
}

/** The resource as the engine has it after `up`: created through check + create. */
async function deploy(host: DynamicHost, urn: string, program: Props): Promise<Deployed> {
  const checked = await host.check(urn, {}, program);
  expect(checked.failures).toEqual([]);
  const created = await host.create(urn, checked.inputs);
  return { program, inputs: checked.inputs, ...created };
}

/** The next `up` with the changed program: check against the old inputs, then diff, which must replace for `field`. */
async function plan(host: DynamicHost, urn: string, field: string, old: Deployed, c: ReplaceCase): Promise<Props> {
  const checked = await host.check(urn, old.inputs, merged(old.program, c.to));
  expect(checked.failures).toEqual([]);
  const diff = await host.diff(old.id, urn, old.properties, checked.inputs, old.inputs);
  expect(diff.changes).toBe("DIFF_SOME");
  expect(diff.replaces).toContain(field);
  return checked.inputs;
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

  const deployed = (name: string, c: ReplaceCase) => deploy(host, urn(), merged(stack.byName(cloud.vmResource).inputs, shared, { name }, c.from));
  const planReplace = (field: string, old: Deployed, c: ReplaceCase) => plan(host, urn(), field, old, c);

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

// The same for SSH keys, from each key's rule table. An identical key already in the account may be
// adopted (nothing bills; README "When a create adopts an existing machine"), but never the key the
// engine deletes next: afterwards exactly one key lives, the new one, and the account holds nothing
// else new. Fluence keeps one copy of any key material: a replacement with the old key's material
// cannot be created beside it, so its create fails (the README tells the user to set
// deleteBeforeReplace) with the old key kept, and after that the old key goes first. Keys are
// quick, so every cloud runs through both doors, and under each key-library answer its API has had.
const keyRuns = cloudsUnderTest.flatMap((c) =>
  !c.sshKey
    ? []
    : doors.flatMap((door) =>
        (c.sshKey!.variants ?? [["", () => undefined] as const]).map(
          ([variant, switchOn]) => [`${c.sshKey!.type}${variant ? ` (${variant})` : ""} via ${door}`, c, c.sshKey!, door, switchOn] as const,
        ),
      ),
);

describe.each(keyRuns)("%s: a key's replacement never adopts the key it replaces", (_name, cloud: CloudUnderTest, key: SshKeyUnderTest, door: Door, switchOn) => {
  let stack: CloudStack<any>;
  let host: DynamicHost;
  const fields = replaceFields(key.type);

  beforeAll(async () => {
    stack = await cloud.startStack(door);
    stack.emulator.setRateLimit(null); // the suite sends more key requests in a minute than any cloud allows
    switchOn(stack);
    host = await stack.newHost();
  });
  afterAll(() => stack.close());

  const urn = () => stack.urnOf(key.resource);
  const keys = () => key.keys(stack).sort();
  /** The emulator's keys after a replace: the ones held before it, and the replacement. */
  const heldBefore = (before: string[], replacement: string) => [...before, replacement].sort();
  const deployed = (name: string, c: ReplaceCase) => deploy(host, urn(), merged(stack.byName(key.resource).inputs, { name }, c.from));
  /** The replacement carries the old key's material, which a one-copy cloud cannot hold twice. */
  const refusedBeside = (old: Deployed, news: Props) => !!key.secondCopyRefused && !!news.publicKey && news.publicKey === old.inputs.publicKey;

  /** The replacement's create while the old key still exists: refused on a one-copy cloud, with nothing made or lost. */
  async function refusedCreate(old: Deployed, news: Props) {
    const before = keys();
    const err: HostCallError = await host.create(urn(), news).then(
      () => {
        throw new Error("the replacement's create succeeded, although the cloud holds its key material as the key being replaced");
      },
      (e) => e,
    );
    expect(err.message).toMatch(key.secondCopyRefused!);
    expect(err.message).toContain(old.id);
    expect(err.initFailed).toBeUndefined();
    expect(keys()).toEqual(before); // nothing made, and the old key (still in state) kept
  }

  /** Create-before-delete: the replacement is a new key beside the old one; then the engine deletes the old id. */
  async function besideOld(old: Deployed, news: Props) {
    const replacement = await host.create(urn(), news);
    expect(replacement.id).not.toBe(old.id);
    expect(keys()).toEqual(expect.arrayContaining([old.id, replacement.id]));
    await host.delete(old.id, urn(), old.properties);
    return replacement;
  }

  /** Refused beside the old key; the user sets deleteBeforeReplace, as the error says, and runs `up` again: old key first, then a new one. */
  async function afterRefusal(old: Deployed, news: Props, replan: () => Promise<Props>) {
    await refusedCreate(old, news);
    const again = await replan();
    await host.delete(old.id, urn(), old.properties);
    const replacement = await host.create(urn(), again);
    expect(replacement.id).not.toBe(old.id);
    return replacement;
  }

  test("the rule table has replace fields, and every one has a case", () => {
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.filter((f) => !key.replaceCases()[f])).toEqual([]);
  });

  describe.each(fields.map((f) => [f]))("%s", (field) => {
    test("create-before-delete: the replacement is a new key (or, with the old key's material on a one-copy cloud, an error asking for deleteBeforeReplace); exactly one lives, the new one", async () => {
      const c = key.replaceCases()[field];
      const before = keys();
      const old = await deployed(`cbd-${field}`.toLowerCase(), c);
      const news = await plan(host, urn(), field, old, c);
      const replacement = refusedBeside(old, news) ? await afterRefusal(old, news, () => plan(host, urn(), field, old, c)) : await besideOld(old, news);
      expect(keys()).toEqual(heldBefore(before, replacement.id));
      await host.delete(replacement.id, urn(), replacement.properties); // tidying up (Nova holds at most 5 keys)
    });

    test("deleteBeforeReplace: the old key goes first, the replacement is a new one; exactly one lives", async () => {
      const c = key.replaceCases()[field];
      const before = keys();
      const old = await deployed(`dbr-${field}`.toLowerCase(), c);
      const news = await plan(host, urn(), field, old, c);
      await host.delete(old.id, urn(), old.properties);
      const replacement = await host.create(urn(), news);
      expect(replacement.id).not.toBe(old.id);
      expect(keys()).toEqual(heldBefore(before, replacement.id));
      await host.delete(replacement.id, urn(), replacement.properties);
    });
  });

  test("`pulumi up --replace` (no Diff): the identical key checked against old inputs is never adopted; a new key, or on a one-copy cloud the deleteBeforeReplace error", async () => {
    const c = key.replaceCases()[fields[0]];
    const before = keys();
    const old = await deployed("forced-replace", c);
    const replan = async () => (await host.check(urn(), old.inputs, old.program)).inputs;
    const news = await replan();
    const replacement = refusedBeside(old, news) ? await afterRefusal(old, news, replan) : await besideOld(old, news);
    expect(keys()).toEqual(heldBefore(before, replacement.id));
    await host.delete(replacement.id, urn(), replacement.properties);
  });
});
