import { UNKNOWN } from "../../provider/core/unknown";
import type { CloudStack } from "../harness/cloudStack";
import type { DynamicHost } from "../harness/dynamicHost";
import { cloudsAndDoors } from "./clouds";

// The lifecycle every user meets, for every cloud, through both doors (Pulumi's dynamic-provider
// host and the native plugin), from one table: create blocks until the machine runs; a rename is
// in place or a replacement as the cloud allows, with the reason; previews tolerate unknowns and
// send nothing; adoptId takes over a machine instead of buying another; delete removes it.

describe.each(cloudsAndDoors)("%s: lifecycle", (_name, cloud, door) => {
  let stack: CloudStack<any>;
  let shared: Record<string, unknown> = {};
  const vmUrn = () => stack.urnOf(cloud.vmResource);
  const host = (): DynamicHost => stack.host;
  const named = (name: string) => cloud.machines(stack).filter((m) => m.name === name);

  beforeAll(async () => {
    stack = await cloud.startStack(door);
    shared = await cloud.prepare(stack);
  });
  afterAll(() => stack.close());

  async function checked(extra: Record<string, unknown>) {
    const res = await host().check(vmUrn(), {}, { ...stack.byName(cloud.vmResource).inputs, ...shared, ...extra });
    expect(res.failures).toEqual([]);
    return res.inputs;
  }

  let id = "";
  let inputs: Record<string, unknown> = {};
  let outputs: Record<string, unknown> = {};

  test("create blocks until the machine runs", async () => {
    inputs = await checked({ name: "life" });
    const created = await host().create(vmUrn(), inputs);
    id = created.id;
    outputs = created.properties;
    expect(named("life").map((m) => m.id)).toEqual([id]);
    expect(named("life")[0].status).toMatch(cloud.runningStatus);
  });

  test("preview with unknowns: check keeps them, diff plans the change, zero requests", async () => {
    const before = cloud.requests(stack).length;
    const res = await host().check(vmUrn(), inputs, { ...inputs, name: UNKNOWN });
    expect(res.failures).toEqual([]);
    expect(res.inputs.name).toBe(UNKNOWN);
    const diff = await host().diff(id, vmUrn(), outputs, res.inputs, inputs);
    expect(diff.changes).toBe("DIFF_SOME");
    expect(diff.replaces).toEqual(cloud.renameInPlace ? [] : ["name"]);
    if (door === "plugin") {
      // The engine sends Create/Update with preview=true to a plugin that supports preview.
      const preview = await host().create(vmUrn(), { ...res.inputs, name: UNKNOWN }, { preview: true });
      expect(preview.properties.name).toBe(UNKNOWN);
      const updated = await host().update(id, vmUrn(), outputs, res.inputs, inputs, { preview: true });
      expect(updated.properties.name).toBe(UNKNOWN);
    }
    expect(cloud.requests(stack).length).toBe(before);
  });

  test("a rename is in place or a replacement, as the cloud allows, and says why", async () => {
    const news = await checked({ name: "life-2" });
    const diff = await host().diff(id, vmUrn(), outputs, news, inputs);
    expect(diff.changes).toBe("DIFF_SOME");
    if (door === "plugin") expect(diff.detailedDiff.name).toBe(cloud.renameInPlace ? "update" : "updateReplace");
    if (!cloud.renameInPlace) {
      expect(diff.replaces).toEqual(["name"]);
      await host().waitForOutput(/name "life" → "life-2" forces replacement \(.+\)/);
      return;
    }
    expect(diff.replaces).toEqual([]);
    await host().waitForOutput(/name "life" → "life-2" updates in place via /);
    const updated = await host().update(id, vmUrn(), outputs, news, inputs);
    expect(updated.properties.name).toBe("life-2");
    expect(named("life-2").map((m) => m.id)).toEqual([id]);
    inputs = news;
    outputs = updated.properties;
  });

  test("adoptId takes over the machine: same id, no second machine", async () => {
    const name = String(inputs.name);
    const adopted = await host().create(vmUrn(), await checked({ name, adoptId: id }));
    expect(adopted.id).toBe(id);
    expect(named(name).map((m) => m.id)).toEqual([id]);
    outputs = adopted.properties;
  });

  test("delete removes the machine", async () => {
    await host().delete(id, vmUrn(), outputs);
    expect(cloud.machines(stack).filter((m) => m.id === id)).toEqual([]);
  });
});
