import type { CloudStack } from "../harness/cloudStack";
import { StackRunner } from "../harness/stackRunner";
import { cloudsAndDoors } from "./clouds";

// For every resource of every cloud: deploy the program, then refresh and run the same program
// again five times — zero changes every time, whatever the cloud echoes back (display names,
// casing, numbers as strings, defaults it fills in). A new __provider text alone is no change.

describe.each(cloudsAndDoors)("%s: no perpetual diffs", (_name, cloud, door) => {
  let stack: CloudStack<any>;
  let runner: StackRunner;

  beforeAll(async () => {
    stack = await cloud.startStack(door);
    runner = new StackRunner(stack.host, stack.program.project, "test");
    await runner.up(stack.resources);
  });
  afterAll(async () => {
    await runner.destroy();
    await stack.close();
  });

  test("refresh + the same program, five times: no changes for any resource", async () => {
    for (let round = 0; round < 5; round++) {
      for (const captured of stack.resources) {
        const r = runner.state.get(captured.name)!;
        const read = await stack.host.read(r.id, stack.urnOf(captured.name), r.outputs, r.inputs);
        expect(read.id).toBe(r.id);
        const news = { ...captured.inputs };
        for (const [k, v] of Object.entries(news)) if (typeof v === "string" && v.endsWith("-id")) news[k] = runner.state.get(v.slice(0, -3))?.id ?? v;
        const checked = await stack.host.check(stack.urnOf(captured.name), read.inputs ?? r.inputs, news);
        expect(checked.failures).toEqual([]);
        const diff = await stack.host.diff(r.id, stack.urnOf(captured.name), read.properties, checked.inputs, read.inputs);
        expect({ resource: captured.name, round, changes: diff.changes }).toEqual({ resource: captured.name, round, changes: "DIFF_NONE" });
        r.outputs = read.properties;
        r.inputs = checked.inputs;
      }
    }
  });

  // Only the dynamic door stores a __provider text.
  (door === "dynamic" ? test : test.skip)("a __provider text that differs only because the implementation changed is no change", async () => {
    for (const captured of stack.resources) {
      const r = runner.state.get(captured.name)!;
      const newer = `${r.inputs.__provider}\n// a newer release of the package\n`;
      const diff = await stack.host.diff(r.id, stack.urnOf(captured.name), r.outputs, { ...r.inputs, __provider: newer }, r.inputs);
      expect({ resource: captured.name, changes: diff.changes }).toEqual({ resource: captured.name, changes: "DIFF_NONE" });
    }
  });
});
