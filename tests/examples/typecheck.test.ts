import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../harness/programDir";
import { exampleDirs } from "./examplePrograms";

// The examples are what users copy: they must compile against the SDK's real types, which
// transpileModule (used to run them) never checks.

test("tsconfig.examples.json type-checks every example against sdk/ with zero diagnostics", () => {
  const configFile = path.join(REPO_ROOT, "tsconfig.examples.json");
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  expect(read.error).toBeUndefined();
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO_ROOT, undefined, configFile);
  expect(parsed.errors).toEqual([]);

  const checked = parsed.fileNames.map((f) => path.relative(REPO_ROOT, f)).sort();
  expect(checked).toEqual(exampleDirs().map((d) => `examples/${d}/index.ts`));

  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(REPO_ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
  expect(diagnostics).toEqual([]);
  // The SDK came from source through `paths`, not from a stale dist/ build.
  expect(program.getSourceFile(path.join(REPO_ROOT, "sdk", "index.ts"))).toBeDefined();
}, 120_000);
