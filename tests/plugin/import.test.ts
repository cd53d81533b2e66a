import type { CloudStack } from "../harness/cloudStack";
import { cloudsUnderTest } from "../reliability/clouds";

// `pulumi import` (and the `import` resource option) through the native plugin: the engine calls
// Read with only an id — no state, no inputs — and needs inputs back; it then runs
// Check(olds=inputs, news=inputs) and Diff(outputs, checked inputs), which must show no change,
// else the import fails or the next `up` would touch the machine.

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

describe.each(cloudsUnderTest.map((c) => [c.cloud, c] as const))("%s via plugin: import", (_name, cloud) => {
  let stack: CloudStack<any>;
  let shared: Record<string, unknown> = {};
  beforeAll(async () => {
    stack = await cloud.startStack("plugin");
    shared = await cloud.prepare(stack);
  });
  afterAll(() => stack.close());

  test("Read with only an id returns id, outputs and inputs that check clean and diff to no change, without touching the machine", async () => {
    const urn = stack.urnOf(cloud.vmResource);
    const checked = await stack.host.check(urn, {}, { ...stack.byName(cloud.vmResource).inputs, ...shared, name: "imported" });
    const created = await stack.host.create(urn, checked.inputs);
    const before = cloud.requests(stack).length;

    const read = await stack.host.read(created.id, urn, {});
    expect(read.id).toBe(created.id);
    expect(read.properties.name).toBe("imported");
    expect(read.inputs).toBeDefined();
    // `pulumi import`: Check(inputs, inputs). Only inputs the cloud never reports may be missing.
    const alone = await stack.host.check(urn, read.inputs!, read.inputs!);
    expect(alone.failures.map((f) => f.property).filter((p) => !cloud.importUnreported.includes(p))).toEqual([]);
    // The `import` option (and the program written from the import): the program's inputs.
    const supplied = Object.fromEntries(cloud.importUnreported.map((f) => [f, checked.inputs[f]]));
    const again = await stack.host.check(urn, read.inputs!, { ...read.inputs, ...supplied });
    expect(again.failures).toEqual([]);
    const diff = await stack.host.diff(read.id, urn, read.properties, again.inputs, read.inputs);
    // Inputs the cloud never reports show as set by the program: `ignoreChanges` on them, or adoptId, avoids that.
    expect(diff.diffs.filter((f) => !cloud.importUnreported.includes(f))).toEqual([]);
    if (cloud.importUnreported.length === 0) expect(diff.changes).toBe("DIFF_NONE");
    expect(cloud.requests(stack).slice(before).filter((r) => MUTATING.has(r.method))).toEqual([]);
    expect(cloud.machines(stack).filter((m) => m.name === "imported").map((m) => m.id)).toEqual([created.id]);
  });

  test("importing an id the cloud does not have answers no id (the engine reports it missing)", async () => {
    const read = await stack.host.read("00000000-0000-4000-8000-000000000000", stack.urnOf(cloud.vmResource), {});
    expect(read.id).toBe("");
  });
});
