import * as fs from "fs";
import * as path from "path";
import type { GpcnEmulator } from "../../emulator";
import { fixtures, gpcnConfig, gpcnYamlProgram, liveVms, newApiKey, startE2eEmulator } from "./gpcnStack";
import { REPO_ROOT } from "../harness/programDir";
import { PulumiProject } from "./pulumiProject";

// What only the native plugin offers, through the real CLI and a Pulumi YAML program:
// `pulumi import` of a VM made directly on the cloud, customTimeouts, and examples/yaml-quickstart.

const VM_TYPE = "gpucloud:gpcn:GpuVm";
const started = fixtures();
afterAll(() => started.cleanup());

async function yamlStack(name: string, opts: { timeScale?: number; vmOptions?: string } = {}) {
  const apiKey = newApiKey();
  const { emulator } = started.track({ emulator: await startE2eEmulator(apiKey, opts.timeScale) });
  const files = { "Pulumi.yaml": gpcnYamlProgram(name, opts.vmOptions) };
  const { project } = started.track({ project: await PulumiProject.yaml(name, { files, config: gpcnConfig(emulator, apiKey, name, "native") }) });
  return { apiKey, emulator, project };
}

/** Creates a VM the way a person would in GPCN's console: straight through the API. */
async function createVmOnTheCloud(emulator: GpcnEmulator, apiKey: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${emulator.url}/resource/gpu`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBeLessThan(300);
  const job = (await res.json()).data.jobs[0];
  return job.resourceId;
}

test("pulumi import of a VM made on the cloud writes it to state and YAML code; with that code the next preview changes nothing", async () => {
  const { apiKey, emulator, project } = await yamlStack("yaml-import");
  await project.json(["up", "--yes", "--skip-preview"]);
  const [ours] = await project.resourcesOfType(VM_TYPE);
  const id = await createVmOnTheCloud(emulator, apiKey, {
    name: "handmade",
    datacenterId: ours.outputs.datacenterId,
    seriesId: ours.outputs.seriesId,
    gpuCount: 1,
    sshKeyId: ours.outputs.sshKeyId,
    imageName: "ubuntu-24.04",
  });
  expect(liveVms(emulator).map((v) => v.id)).toContain(id);

  const out = path.join(project.root, "imported.yaml");
  await project.cli(["import", VM_TYPE, "handmade", id, "--yes", "--out", out]);
  const imported = (await project.resourcesOfType(VM_TYPE)).find((r) => r.id === id);
  expect(imported).toMatchObject({ id, protect: true, outputs: { name: "handmade" } });
  const code = fs.readFileSync(out, "utf8");
  expect(code).toMatch(/^ {2}handmade:\n {4}type: gpucloud:gpcn:GpuVm\n/m);
  expect(code).toMatch(/^ {6}name: handmade$/m);

  // The generated resource goes into the program as `pulumi import` tells the user to do.
  const generated = code.replace(/^resources:\n/, "");
  project.write("Pulumi.yaml", fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8").replace(/^resources:\n/m, `resources:\n${generated}`));
  const { json } = await project.json(["preview"]);
  expect(json.changeSummary).toEqual({ same: 4 }); // stack, key, trainer, handmade
  expect(liveVms(emulator)).toHaveLength(2);
}, 300_000);

test("customTimeouts: a create that outlasts it fails within it, the VM is kept in state (no orphan), and the next up finishes it", async () => {
  // Real time: the create job takes 180 s; the timeout is 5 s.
  const { emulator, project } = await yamlStack("yaml-timeouts", { timeScale: 1, vmOptions: "customTimeouts:\n  create: 5s" });
  const started = Date.now();
  const failed = await project.json(["up", "--yes", "--skip-preview"], { allowFailure: true });
  const seconds = (Date.now() - started) / 1000;
  expect(failed.json.summary.result).toBe("failed");
  expect(seconds).toBeLessThan(60); // 5 s of waiting, plus starting the CLI, the plugin and the key
  // The VM's own step, from the engine's events (whole seconds): it began, and failed on the
  // timeout's deadline, not later (the 5 s, plus a second of rounding and two of margin).
  const vmEvent = (kind: string) => failed.json.events.find((e: any) => e[kind]?.metadata?.type === VM_TYPE);
  const waited = vmEvent("resOpFailedEvent").timestamp - vmEvent("resourcePreEvent").timestamp;
  expect(waited).toBeGreaterThanOrEqual(4);
  expect(waited).toBeLessThanOrEqual(8);
  const errors = failed.json.events.filter((e: any) => e.diagnosticEvent?.severity === "error").map((e: any) => e.diagnosticEvent.message).join("\n");
  expect(errors).toMatch(/timed out after 5s \(deadline from customTimeouts \(5s\)\)/);
  const vms = liveVms(emulator);
  expect(vms).toHaveLength(1);
  expect(vms[0].status).not.toBe("Running");
  // The VM that exists and bills is in the state (a partial create), so nothing is orphaned.
  expect((await project.resourcesOfType(VM_TYPE)).map((r) => r.id)).toEqual([vms[0].id]);

  emulator.setTimeScale(600); // now it can become ready
  await project.json(["up", "--yes", "--skip-preview"]);
  expect(liveVms(emulator).map((v) => [v.id, v.status])).toEqual([[vms[0].id, "Running"]]);
  await project.json(["destroy", "--yes"]);
  expect(liveVms(emulator)).toEqual([]);
}, 300_000);

test("examples/yaml-quickstart, as written, deploys on the emulator and is destroyed", async () => {
  const apiKey = newApiKey();
  const { emulator } = started.track({ emulator: await startE2eEmulator(apiKey) });
  // The example points its plugin path at the repository (../..); from a temporary folder that is REPO_ROOT.
  const example = fs.readFileSync(path.join(REPO_ROOT, "examples", "yaml-quickstart", "Pulumi.yaml"), "utf8");
  expect(example).toMatch(/^ {6}path: \.\.\/\.\.$/m);
  const files = { "Pulumi.yaml": example.replace(/^( {6}path: )\.\.\/\.\.$/m, `$1${REPO_ROOT}`) };
  const config = { "gpucloud:gpcnEndpoint": { value: emulator.url }, "gpucloud:gpcnApiKey": { value: apiKey, secret: true } };
  const { project } = started.track({ project: await PulumiProject.yaml("yaml-quickstart", { files, config }) });

  const { json } = await project.json(["up", "--yes"]);
  expect(json.summary).toMatchObject({ result: "succeeded", resourceChanges: { create: 3 } });
  const vms = liveVms(emulator);
  expect(vms.map((v) => v.status)).toEqual(["Running"]);
  const outputs = JSON.parse((await project.cli(["stack", "output", "--json", "--show-secrets"])).stdout);
  expect(outputs).toMatchObject({ vmId: vms[0].id, status: "Running", firstInStock: "KAN-1", privateKey: expect.stringMatching(/^-----BEGIN OPENSSH PRIVATE KEY-----/) });
  await project.json(["destroy", "--yes"]);
  expect(liveVms(emulator)).toEqual([]);
  expect(emulator.sshKeys()).toEqual([]);
}, 300_000);
