import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness/programDir";
import { EXAMPLES_DIR, exampleDirs } from "./examplePrograms";

// The YAML and Python examples run on the native plugin, which needs the Pulumi CLI; without it
// they are checked against schema.json: every type, function and property they use exists there,
// every required input is given, and they point at this repository's plugin.

const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"));
// js-yaml comes with @pulumi/pulumi (it parses Pulumi.yaml files there too).
const yaml = require("js-yaml") as { load(text: string): any };

const PYTHON_CALLS = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read(), sys.argv[1])
calls = [{"func": ast.unparse(n.func), "kwargs": [k.arg for k in n.keywords]} for n in ast.walk(tree) if isinstance(n, ast.Call)]
print(json.dumps(calls))
`;

test("the non-Node examples are exactly yaml-quickstart and python-quickstart", () => {
  expect(exampleDirs("yaml")).toEqual(["yaml-quickstart"]);
  expect(exampleDirs("python")).toEqual(["python-quickstart"]);
});

describe("examples/yaml-quickstart", () => {
  const program = yaml.load(fs.readFileSync(path.join(EXAMPLES_DIR, "yaml-quickstart", "Pulumi.yaml"), "utf8"));

  test("loads the gpucloud plugin from this repository, whose root holds pulumi-resource-gpucloud", () => {
    const [plugin] = program.plugins.providers;
    expect(plugin.name).toBe("gpucloud");
    expect(path.resolve(EXAMPLES_DIR, "yaml-quickstart", plugin.path)).toBe(REPO_ROOT);
    expect(fs.statSync(path.join(REPO_ROOT, "pulumi-resource-gpucloud")).mode & 0o111).not.toBe(0);
  });

  test("uses only schema types and inputs, and gives every required input", () => {
    const resources = Object.entries(program.resources) as Array<[string, { type: string; properties: Record<string, unknown> }]>;
    expect(resources.length).toBeGreaterThan(0);
    for (const [name, r] of resources) {
      const spec = schema.resources[r.type];
      expect({ name, type: r.type, known: !!spec }).toEqual({ name, type: r.type, known: true });
      for (const p of Object.keys(r.properties)) expect(Object.keys(spec.inputProperties)).toContain(p);
      for (const p of spec.requiredInputs ?? []) expect(Object.keys(r.properties)).toContain(p);
    }
    for (const v of Object.values(program.variables ?? {}) as Array<{ "fn::invoke"?: { function: string; return?: string } }>) {
      const invoke = v["fn::invoke"];
      if (!invoke) continue;
      expect(Object.keys(schema.functions)).toContain(invoke.function);
      if (invoke.return) expect(Object.keys(schema.functions[invoke.function].outputs.properties)).toContain(invoke.return);
    }
  });

  test("reads only outputs the schema declares", () => {
    const text = JSON.stringify(program.outputs);
    const resources = program.resources as Record<string, { type: string }>;
    for (const [, name, prop] of text.matchAll(/\$\{([\w-]+)\.(\w+)\}/g)) {
      if (prop === "id") continue;
      expect(Object.keys(schema.resources[resources[name].type].properties)).toContain(prop);
    }
  });
});

describe("examples/python-quickstart", () => {
  const main = path.join(EXAMPLES_DIR, "python-quickstart", "__main__.py");
  // Python's own parser lists the SDK calls and their keyword arguments (no pulumi_gpucloud needed).
  const calls: Array<{ func: string; kwargs: string[] }> = JSON.parse(
    execFileSync("python3", ["-c", PYTHON_CALLS, main], { encoding: "utf8" }),
  );
  const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

  test("calls the generated SDK's resources with the schema's inputs (snake_case), required ones included", () => {
    const sdkCalls = calls.filter((c) => c.func.startsWith("gpucloud."));
    expect(sdkCalls.map((c) => c.func).sort()).toEqual(["gpucloud.gpcn.GpuVm", "gpucloud.gpcn.SshKey"]);
    for (const call of sdkCalls) {
      const [, module, type] = call.func.split(".");
      const spec = schema.resources[`gpucloud:${module}:${type}`];
      const inputs = Object.keys(spec.inputProperties).map(snake);
      for (const kw of call.kwargs.filter((k) => k !== "opts")) expect(inputs).toContain(kw);
      for (const p of spec.requiredInputs ?? []) expect(call.kwargs).toContain(snake(p));
    }
  });

  test("imports the package by the schema's Python name and asks for a Pulumi SDK", () => {
    expect(fs.readFileSync(main, "utf8")).toMatch(new RegExp(`^import ${schema.language.python.packageName} as gpucloud$`, "m"));
    expect(fs.readFileSync(path.join(EXAMPLES_DIR, "python-quickstart", "requirements.txt"), "utf8")).toMatch(/^pulumi>=3/m);
  });
});
