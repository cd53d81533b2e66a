import * as fs from "fs";
import * as path from "path";
import type { CloudStack } from "../harness/cloudStack";
import { REPO_ROOT } from "../harness/programDir";
import { handlerFor } from "../../provider";
import { handlerKey } from "../harness/doors";
import { cloudsAndDoors } from "./clouds";
import { MISSING, type BadInput } from "./cloudsUnderTest";

// Every input of every resource has at least one invalid value that `check` refuses, naming the
// property, before a single request reaches the cloud.

const counted: Record<string, number> = {};

afterAll(() => {
  const file = path.join(REPO_ROOT, ".tmp", "bad-input-count.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(counted, null, 2));
});

function apply(inputs: Record<string, unknown>, changes: Record<string, unknown>) {
  const out = { ...inputs };
  for (const [k, v] of Object.entries(changes)) {
    if (v === MISSING) delete out[k];
    else out[k] = v;
  }
  return out;
}

const label = (b: BadInput) => `${b.resource}.${b.field} = ${b.value === MISSING ? "(missing)" : JSON.stringify(b.value)?.slice(0, 30)}`;

describe.each(cloudsAndDoors)("%s: bad input", (_name, cloud, door) => {
  let stack: CloudStack<any>;
  beforeAll(async () => {
    stack = await cloud.startStack(door);
  });
  afterAll(() => stack.close());

  test("covers every input (every field of the rules table) of every resource", () => {
    for (const r of stack.resources) {
      const resource = r.name;
      const fields = Object.keys(handlerFor(handlerKey(r.type)).rules.fields);
      const covered = new Set(cloud.badInputs.filter((b) => b.resource === resource).map((b) => b.field));
      expect(fields.filter((f) => !covered.has(f))).toEqual([]);
    }
  });

  test.each(cloud.badInputs.map((b) => [label(b), b] as const))("%s is refused at check, naming the property, with zero requests", async (_l, bad) => {
    const requestsBefore = cloud.requests(stack).length;
    const base = stack.byName(bad.resource).inputs;
    const inputs = apply(base, { ...bad.with, [bad.field]: bad.value });
    const res = await stack.host.check(stack.urnOf(bad.resource), {}, inputs);
    const property = bad.property ?? bad.field;
    // Nested values are named down to the element: ports.0.port.
    expect(res.failures.map((f) => f.property).filter((p) => p === property || p.startsWith(`${property}.`))).not.toEqual([]);
    expect(cloud.requests(stack).length).toBe(requestsBefore);
    counted[`${cloud.cloud}/${door}`] = (counted[`${cloud.cloud}/${door}`] ?? 0) + 1;
  });
});
