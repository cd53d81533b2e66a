import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../harness/programDir";

export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");

/** Every directory in examples/ that is a Pulumi program (has a Pulumi.yaml) for `runtime` (default: the Node.js ones, on the dynamic SDK). */
export function exampleDirs(runtime = "nodejs"): string[] {
  return fs
    .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(EXAMPLES_DIR, d.name, "Pulumi.yaml")))
    .map((d) => d.name)
    .filter((name) => runtimeOf(name) === runtime)
    .sort();
}

/** `runtime: yaml` or `runtime: {name: python, …}` in an example's Pulumi.yaml. */
export function runtimeOf(example: string): string | undefined {
  const yaml = fs.readFileSync(path.join(EXAMPLES_DIR, example, "Pulumi.yaml"), "utf8");
  return /^runtime:\s*(\S+)\s*$/m.exec(yaml)?.[1] ?? /^runtime:\s*\n\s+name:\s*(\S+)/m.exec(yaml)?.[1];
}

/** The `name:` in an example's Pulumi.yaml: the project, and so the prefix of its own config keys. */
export function projectName(example: string): string {
  const yaml = fs.readFileSync(path.join(EXAMPLES_DIR, example, "Pulumi.yaml"), "utf8");
  const name = /^name:\s*(\S+)\s*$/m.exec(yaml)?.[1];
  if (!name) throw new Error(`examples/${example}/Pulumi.yaml has no name`);
  return name;
}

/** index.ts as JavaScript, transpiled the way `npm run demo` does (no type check: see typecheck.test.ts). */
export function programJs(example: string): string {
  const source = fs.readFileSync(path.join(EXAMPLES_DIR, example, "index.ts"), "utf8");
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
  }).outputText;
}
