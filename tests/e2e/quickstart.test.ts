import * as fs from "fs";
import * as path from "path";
import type { GpcnEmulator } from "../../emulator";
import { REPO_ROOT } from "../harness/programDir";
import { KANSAS_CITY, liveVms, newApiKey, startE2eEmulator } from "./gpcnStack";
import { PulumiProject } from "./pulumiProject";

// The top-level Pulumi.yaml, as README's "Your first `pulumi up`" runs it: a copy of the repository's
// Pulumi.yaml and examples/gpcn-quickstart in a temporary folder (the package installed as npm
// would), the README's config, `up`, `destroy`. It checks the project file itself: its `main`
// folder, the TypeScript entry, and that the dynamic-provider host (started in `main`) finds the package.

const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
const VM_TYPE = "pulumi-nodejs:dynamic/gpcn:GpuVm";

let emulator: GpcnEmulator;
let project: PulumiProject;
const apiKey = newApiKey();

beforeAll(async () => {
  emulator = await startE2eEmulator(apiKey);
}, 60_000);

afterAll(async () => {
  project?.cleanup();
  await emulator?.close();
});

test("the top-level Pulumi.yaml names examples/gpcn-quickstart, which README's datacenter id fits", () => {
  expect(read("Pulumi.yaml")).toMatch(/^runtime: nodejs$/m);
  expect(read("Pulumi.yaml")).toMatch(/^main: examples\/gpcn-quickstart\/$/m);
  expect(read("README.md")).toContain(`config set datacenterId ${KANSAS_CITY}`);
});

test("up creates the quickstart's key and VM on the emulator; destroy removes them", async () => {
  project = await PulumiProject.nodejs("quickstart", {
    files: {
      "Pulumi.yaml": read("Pulumi.yaml"),
      "examples/gpcn-quickstart/index.ts": read("examples/gpcn-quickstart/index.ts"),
      "examples/gpcn-quickstart/package.json": read("examples/gpcn-quickstart/package.json"),
    },
    compile: false, // scripts/pulumi-node compiles the .ts entry, as Pulumi's Node.js host would
    config: {
      "gpcn:endpoint": { value: emulator.url },
      "gpcn:apiKey": { value: apiKey, secret: true },
      datacenterId: { value: KANSAS_CITY },
    },
  });
  // Where README's `npm install --prefix examples/gpcn-quickstart` puts the package: in `main`,
  // which the engine makes the plugins' working folder, so the dynamic-provider host finds it there.
  const installed = path.join(project.dir, "examples", "gpcn-quickstart", "node_modules");
  fs.mkdirSync(installed);
  fs.renameSync(path.join(project.dir, "node_modules", "pulumi-gpucloud"), path.join(installed, "pulumi-gpucloud"));

  const { json } = await project.json(["up", "--yes"]);
  expect(json.summary).toMatchObject({ result: "succeeded", resourceChanges: { create: 3 } });
  const vms = liveVms(emulator);
  expect(vms.map((v) => [v.name, v.status])).toEqual([["trainer", "Running"]]);
  expect((await project.resourcesOfType(VM_TYPE)).map((r) => r.id)).toEqual([vms[0].id]);
  const outputs = JSON.parse((await project.cli(["stack", "output", "--json", "--show-secrets"])).stdout);
  expect(outputs).toMatchObject({ vmId: vms[0].id, status: "Running", sshCommand: expect.stringMatching(/^ssh \S+@[\d.]+$/) });

  await project.json(["destroy", "--yes"]);
  expect(liveVms(emulator)).toEqual([]);
  expect(emulator.sshKeys()).toEqual([]);
}, 300_000);
