import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness/programDir";

// Whether `npm test` runs the e2e suite is decided in jest.config.js: left out only when the Pulumi
// engine is absent, and then said in one line; always in when CI=true or GPUCLOUD_E2E=1.

const SKIP_LINE = "e2e suite skipped: the Pulumi engine is not built (run `npm run install-pulumi`, then `npm test` or `npm run test:e2e`)";
const lockVersion = "v" + JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")).packages["node_modules/@pulumi/pulumi"].version;

const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Loads jest.config.js as jest does, with the engine cache at `engineDir` and no `pulumi` on PATH. */
function loadConfig(engineDir: string, extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_GPUCLOUD_ENGINE_DIR: engineDir, ...extra };
  if (!("CI" in extra)) delete env.CI;
  if (!("GPUCLOUD_E2E" in extra)) delete env.GPUCLOUD_E2E;
  env.PATH = (process.env.PATH ?? "").split(path.delimiter).filter((dir) => !fs.existsSync(path.join(dir, "pulumi"))).join(path.delimiter);
  const script = `const c = require("./jest.config.js"); console.log(JSON.stringify(c.projects.map((p) => p.displayName)));`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, env, encoding: "utf8" });
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split("\n");
  return { said: lines.slice(0, -1), projects: JSON.parse(lines[lines.length - 1]) };
}

function emptyDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jest-projects-"));
  temps.push(dir);
  return dir;
}

/** An engine folder as scripts/install-pulumi leaves it: a `pulumi` reporting the pinned version, and the other pieces. */
function builtEngineDir(): string {
  const root = emptyDir();
  const bin = path.join(root, lockVersion, "bin");
  fs.mkdirSync(path.join(root, lockVersion, "python-wheels"), { recursive: true });
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho ${lockVersion}\n`, { mode: 0o755 });
  for (const piece of ["pulumi-language-yaml", "gen-python-sdk"]) fs.writeFileSync(path.join(bin, piece), "", { mode: 0o755 });
  fs.writeFileSync(path.join(root, lockVersion, "python-wheels", ".downloaded"), "");
  return root;
}

test("without the engine, `npm test` leaves the e2e suite out and says so in exactly one line", () => {
  expect(loadConfig(emptyDir())).toEqual({ said: [SKIP_LINE], projects: ["unit"] });
});

test("with the engine built, the e2e suite is in, silently", () => {
  expect(loadConfig(builtEngineDir())).toEqual({ said: [], projects: ["unit", "e2e"] });
});

test("in CI (CI=true), or with GPUCLOUD_E2E=1, the e2e suite is never left out, engine or not", () => {
  expect(loadConfig(emptyDir(), { CI: "true" })).toEqual({ said: [], projects: ["unit", "e2e"] });
  expect(loadConfig(emptyDir(), { GPUCLOUD_E2E: "1" })).toEqual({ said: [], projects: ["unit", "e2e"] });
});
