import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { envWithoutPulumi } from "../harness/captureProviders";
import { REPO_ROOT, writeProgramFile, type ProgramDir } from "../harness/programDir";
import type { StackResource } from "../harness/stackRunner";

const CHILD_SCRIPT = path.join(REPO_ROOT, "tests", "examples", "exportsChild.js");

/**
 * The program's exports as `pulumi stack output` would show them after `up`: the program runs
 * again with every registration answered by the deployed resource's real id and outputs.
 */
export async function stackExports(
  program: Pick<ProgramDir, "dir" | "project">,
  programJs: string,
  deployed: Iterable<StackResource>,
  options: { config: Record<string, string>; stack: string },
): Promise<Record<string, any>> {
  const programFile = writeProgramFile(program.dir, "index.js", programJs);
  const stateFile = path.join(program.dir, ".exports-state.json");
  const resultFile = path.join(program.dir, ".exports-result.json");
  const state = Object.fromEntries([...deployed].map((r) => [`${r.type}::${r.name}`, { id: r.id, outputs: r.outputs }]));
  fs.writeFileSync(stateFile, JSON.stringify(state));
  const env = {
    ...envWithoutPulumi(),
    EXPORTS_PROJECT: program.project,
    EXPORTS_STACK: options.stack,
    PULUMI_CONFIG: JSON.stringify(options.config),
  };
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CHILD_SCRIPT, programFile, stateFile, resultFile], { cwd: program.dir, env, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    if (code !== 0) throw new Error(`stackExports: the program exited with code ${code}\n${stderr}`);
    return JSON.parse(fs.readFileSync(resultFile, "utf8"));
  } finally {
    fs.rmSync(stateFile, { force: true });
    fs.rmSync(resultFile, { force: true });
  }
}
