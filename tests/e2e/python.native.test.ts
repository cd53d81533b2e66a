import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fixtures, gpcnConfig, KANSAS_CITY, liveVms, newApiKey, startE2eEmulator } from "./gpcnStack";
import { REPO_ROOT } from "../harness/programDir";
import { describeRun, engineBin, PulumiProject, type CliResult } from "./pulumiProject";
const { pythonWheels } = require("./engineLocation") as { pythonWheels: (bin: string) => string };

// A Python program on the native plugin through the real engine. The SDK is generated from
// schema.json by Pulumi's own Python code generator (scripts/gen-python-sdk: the CLI's `package
// add/gen-sdk --language python` needs the Python language host, whose Go module is not served) and
// installed, offline, into a venv this file makes, next to the pulumi package (and its dependencies)
// that scripts/install-pulumi downloaded from PyPI.
// Programs run as Automation API inline programs (tests/e2e/python/driver.py); assertions are on the
// engine's results and events as Automation API returns them, on `pulumi stack export` and on the
// emulator's state.

const VM_TYPE = "gpucloud:gpcn:GpuVm";
const DRIVER = path.join(__dirname, "python", "driver.py");
const started = fixtures();
let venv = "";
let work = "";

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "gpucloud-e2e-python-"));
  const sdk = path.join(work, "sdk");
  venv = path.join(work, "venv");
  run(path.join(engineBin(), "gen-python-sdk"), [path.join(REPO_ROOT, "schema.json"), sdk]);
  expect(JSON.parse(fs.readFileSync(path.join(sdk, "pulumi_gpucloud", "pulumi-plugin.json"), "utf8"))).toEqual({ resource: true, name: "gpucloud", version: "0.1.0" });
  // The suite's own venv: pulumi from PyPI (downloaded by scripts/install-pulumi), no index, no network.
  const wheels = pythonWheels(engineBin());
  const requirements = fs.readFileSync(path.join(wheels, ".downloaded"), "utf8").trim().split(/\s+/);
  run("python3", ["-m", "venv", venv]);
  const pip = path.join(venv, "bin", "pip");
  run(pip, ["install", "--quiet", "--disable-pip-version-check", "--no-index", "--find-links", wheels, ...requirements]);
  // pip's own build of the generated pyproject.toml, with the venv's setuptools.
  run(pip, ["install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--no-index", sdk]);
}, 180_000);
afterAll(async () => {
  await started.cleanup();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
}

interface Step {
  op: string;
  type: string;
  name: string;
  diffs: string[];
}

/** One operation of `program` through driver.py; its JSON result (steps = the engine's resource events). */
async function drive(project: PulumiProject, op: "preview" | "up" | "destroy", program: string): Promise<any & { steps: Step[] }> {
  const python = path.join(venv, "bin", "python");
  const spec = JSON.stringify({ op, workDir: project.dir, project: project.program.project, program });
  const env = { ...project.env(), PULUMI_GPUCLOUD_ENGINE_ROOT: path.dirname(engineBin()) };
  const child = spawn(python, [DRIVER, spec], { cwd: project.dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const result: CliResult = { args: ["(driver.py)", op], code, signal: null, stdout, stderr };
  if (code !== 0) throw new Error(describeRun(result));
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

const stepOf = (steps: Step[], type: string) => steps.filter((s) => s.type === type);

/** A Python project whose Pulumi.yaml finds the plugin at this checkout, as the YAML tests do. */
function pythonProjectYaml(name: string, pluginLines: string): string {
  return `name: ${name}\nruntime: python\n${pluginLines}`;
}

test("Python program on the generated SDK: preview shows creates, up waits for Running, rename is an in-place update, destroy empties the cloud", async () => {
  const apiKey = newApiKey();
  const { emulator } = started.track({ emulator: await startE2eEmulator(apiKey) });
  const files = { "Pulumi.yaml": pythonProjectYaml("python-lifecycle", `plugins:\n  providers:\n    - name: gpucloud\n      path: ${REPO_ROOT}\n`) };
  const { project } = started.track({ project: await PulumiProject.python("python-lifecycle", { files, config: gpcnConfig(emulator, apiKey, "py-trainer", "native") }) });
  const program = path.join(__dirname, "python", "program.py");

  const preview = await drive(project, "preview", program);
  expect(preview.changeSummary).toEqual({ create: 3 }); // stack, key, trainer
  expect(preview.steps.filter((s: Step) => s.type.startsWith("gpucloud:gpcn:")).map((s: Step) => [s.op, s.name])).toEqual([["create", "key"], ["create", "trainer"]]);
  expect(liveVms(emulator)).toEqual([]);

  const up = await drive(project, "up", program);
  expect(up).toMatchObject({ result: "succeeded", resourceChanges: { create: 3 } });
  const [vm] = liveVms(emulator);
  expect(liveVms(emulator)).toHaveLength(1);
  expect(vm).toMatchObject({ name: "py-trainer", status: "Running" });
  expect(up.outputs).toMatchObject({ vmId: { value: vm.id, secret: false }, status: { value: "Running" }, privateKey: { secret: true } });
  const [inState] = await project.resourcesOfType(VM_TYPE);
  expect(inState).toMatchObject({ id: vm.id, outputs: { status: "Running", datacenterId: KANSAS_CITY } });
  expect((await project.exportState()).text).not.toContain(apiKey);

  await project.cli(["config", "set", "vmName", "py-renamed"]);
  const rename = await drive(project, "preview", program);
  expect(rename.changeSummary).toEqual({ same: 2, update: 1 });
  expect(stepOf(rename.steps, VM_TYPE)).toEqual([{ op: "update", type: VM_TYPE, name: "trainer", diffs: ["name"] }]);
  const renamed = await drive(project, "up", program);
  expect(renamed.resourceChanges).toEqual({ same: 2, update: 1 });
  expect(liveVms(emulator).map((v) => [v.id, v.name])).toEqual([[vm.id, "py-renamed"]]);

  const destroyed = await drive(project, "destroy", program);
  expect(destroyed).toMatchObject({ result: "succeeded", resourceChanges: { delete: 3 } });
  expect(liveVms(emulator)).toEqual([]);
  expect(emulator.sshKeys()).toEqual([]);
}, 300_000);

test("examples/python-quickstart/__main__.py, as written, deploys on the emulator and is destroyed", async () => {
  const apiKey = newApiKey();
  const { emulator } = started.track({ emulator: await startE2eEmulator(apiKey) });
  // What `pulumi package add <this checkout>` records in the example's Pulumi.yaml.
  const files = { "Pulumi.yaml": pythonProjectYaml("python-quickstart", `packages:\n  gpucloud: ${REPO_ROOT}\n`) };
  const config = { "gpucloud:gpcnEndpoint": { value: emulator.url }, "gpucloud:gpcnApiKey": { value: apiKey, secret: true } };
  const { project } = started.track({ project: await PulumiProject.python("python-quickstart", { files, config }) });
  const program = path.join(REPO_ROOT, "examples", "python-quickstart", "__main__.py");

  const up = await drive(project, "up", program);
  expect(up).toMatchObject({ result: "succeeded", resourceChanges: { create: 3 } });
  const vms = liveVms(emulator);
  expect(vms.map((v) => [v.status, v.datacenter.id])).toEqual([["Running", KANSAS_CITY]]);
  expect(up.outputs).toMatchObject({
    vmId: { value: vms[0].id },
    status: { value: "Running" },
    sshCommand: { value: expect.stringMatching(/^ssh \S+@\S+$/) },
    privateKey: { secret: true, value: expect.stringMatching(/^-----BEGIN OPENSSH PRIVATE KEY-----/) },
  });
  const destroyed = await drive(project, "destroy", program);
  expect(destroyed.result).toBe("succeeded");
  expect(liveVms(emulator)).toEqual([]);
  expect(emulator.sshKeys()).toEqual([]);
}, 300_000);
