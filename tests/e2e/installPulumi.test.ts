import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness/programDir";
import { engineBin } from "./pulumiProject";

const { cachedBinDir } = require("./engineLocation") as { cachedBinDir(): string };

// scripts/install-pulumi as CI and the README use it: idempotent, its steps on stderr, the bin
// folder as the last stdout line, a failure naming its step and module. The failing runs use an
// empty engine folder and an empty Go module cache with GOPROXY=off, so they fail at once and
// reach no network.

const SCRIPT = path.join(REPO_ROOT, "scripts", "install-pulumi");
const lockVersion = "v" + JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")).packages["node_modules/@pulumi/pulumi"].version;

function install(env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync("bash", [SCRIPT], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stderr.trim().split("\n") };
}

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "install-pulumi-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) {
    spawnSync("chmod", ["-R", "u+w", dir]); // the Go module cache makes its files read-only
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** An engine folder whose CLI is the built one and nothing else, with Go unable to fetch any module. */
function offlineEngineDir(withCli: boolean) {
  const root = tempDir();
  if (withCli) {
    fs.mkdirSync(path.join(root, lockVersion, "bin"), { recursive: true });
    fs.symlinkSync(path.join(engineBin(), "pulumi"), path.join(root, lockVersion, "bin", "pulumi"));
  }
  return { PULUMI_GPUCLOUD_ENGINE_DIR: root, GOPROXY: "off", GOMODCACHE: path.join(root, "gomodcache") };
}

test("a second run builds nothing and says so; its last stdout line is the absolute bin folder, outside the work tree, where `pulumi version` prints package-lock's @pulumi/pulumi version", () => {
  const first = install();
  expect(first.status).toBe(0);
  const second = install();
  expect(second.status).toBe(0);
  expect(second.lines[0]).toBe(`install-pulumi: Pulumi ${lockVersion} already built in ${cachedBinDir()} (nothing to do)`);
  expect(second.stderr).not.toMatch(/step \d\/5: (build|copy|make)/);

  const bin = second.stdout.trimEnd().split("\n").pop()!;
  expect(second.stdout).toBe(`${bin}\n`); // nothing else on stdout
  expect(path.isAbsolute(bin)).toBe(true);
  expect(path.relative(REPO_ROOT, bin).startsWith("..")).toBe(true);
  for (const piece of ["pulumi", "pulumi-language-yaml", "pulumi-resource-pulumi-nodejs", "gen-python-sdk"]) {
    expect([piece, fs.existsSync(path.join(bin, piece))]).toEqual([piece, true]);
  }
  const version = spawnSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  expect(version.stdout.trim()).toBe(lockVersion);
  expect(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")).toContain(`(${lockVersion}), from the Go module proxy`); // the pin README names
}, 600_000);

test("every run names the two language-host modules it cannot build and what stands in for them", () => {
  const { status, stderr } = install();
  expect(status).toBe(0);
  expect(stderr).toContain("github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3");
  expect(stderr).toContain("github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3");
  expect(stderr).toMatch(/Node\.js programs run through scripts\/pulumi-node \(the LanguageServer shipped in @pulumi\/pulumi/);
  expect(stderr).toMatch(/Python programs run as Automation API inline programs .* on an SDK that Pulumi's own codegen generates \(gen-python-sdk/);
}, 600_000);

test("on a machine without the CLI, it prints the step and fails naming the module it could not download; no bin folder on stdout", () => {
  const r = install(offlineEngineDir(false));
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe("");
  expect(r.lines).toContain(`install-pulumi: step 1/5: build the Pulumi CLI ${lockVersion} (github.com/pulumi/pulumi/pkg/v3, ./cmd/pulumi; cold: 15-30 min on 2 cores)`);
  expect(r.lines[r.lines.length - 1]).toBe(`install-pulumi: FAILED at step: download module github.com/pulumi/pulumi/pkg/v3@${lockVersion} from the Go module proxy`);
}, 120_000);

test("with the CLI built but not the YAML host, it skips step 1, prints step 2 and fails naming pulumi-yaml", () => {
  const r = install(offlineEngineDir(true));
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe("");
  expect(r.lines).toContain(`install-pulumi: step 1/5: pulumi ${lockVersion} already built`);
  expect(r.lines.some((l) => l.startsWith("install-pulumi: step 2/5: build the YAML language host"))).toBe(true);
  expect(r.lines[r.lines.length - 1]).toBe("install-pulumi: FAILED at step: build github.com/pulumi/pulumi-yaml@v1.25.0 ./cmd/pulumi-language-yaml");
}, 120_000);
