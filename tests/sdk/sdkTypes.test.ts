import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// ts-jest only transpiles (isolatedModules), so the type-level checks in sdkTypesMatchSchemas.ts
// are run here by the compiler, next to a probe that must fail: proof the checks can fail at all.

const ROOT = path.join(__dirname, "..", "..");

test("the SDK's argument interfaces and outputs match the zod schemas; a mismatch fails to compile", () => {
  // Inside the repository (imports resolve as in the project), under the ignored .tmp/.
  fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, ".tmp", "sdkTypes-"));
  try {
    const probe = path.join(dir, "probe.ts");
    fs.writeFileSync(
      probe,
      [
        'import type * as gpcn from "../../sdk/gpcn";',
        'import type { gpuVmInputs } from "../../provider/gpcn/inputs";',
        'import type { Added, ArgsDiff, Expect, Same } from "../../tests/sdk/sdkTypesMatchSchemas";',
        "// An argument the schema does not have: must not compile.",
        "export type Bad = Expect<Same<ArgsDiff<gpcn.GpuVmArgs & { notAnInput?: string }, typeof gpuVmInputs, Added>>>;",
        "",
      ].join("\n"),
    );
    const config = path.join(dir, "tsconfig.json");
    fs.writeFileSync(
      config,
      JSON.stringify({ extends: "../../tsconfig.test.json", compilerOptions: { noEmit: true }, include: [], files: ["../../tests/sdk/sdkTypesMatchSchemas.ts", "probe.ts"] }),
    );
    let output = "";
    try {
      execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config], { cwd: ROOT, encoding: "utf8" });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    const errors = output.split("\n").filter((l) => /error TS\d+/.test(l));
    expect(errors.filter((l) => !l.includes("probe.ts"))).toEqual([]);
    expect(errors).toEqual([expect.stringMatching(/probe\.ts\(5,\d+\): error TS2344/)]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
