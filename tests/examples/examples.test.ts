import { captureResources } from "../harness/captureProviders";
import { startDynamicHost, type DynamicHost } from "../harness/dynamicHost";
import { createProgramDir, REPO_ROOT, type ProgramDir } from "../harness/programDir";
import { StackRunner } from "../harness/stackRunner";
import { exampleConfigs } from "./exampleConfigs";
import { providerConfig, startExampleEmulator, type CloudName, type ExampleEmulator } from "./exampleEmulators";
import { exampleDirs, programJs, projectName } from "./examplePrograms";
import { stackExports } from "./stackExports";

// Every example, as written, deployed through Pulumi's own dynamic-provider host against the
// emulators of the clouds it uses, then destroyed.

const STACK = "dev";

test("every example directory has a row in exampleConfigs, and every row a directory", () => {
  expect(Object.keys(exampleConfigs).sort()).toEqual(exampleDirs());
});

const counts = (emulators: ExampleEmulator[], what: (e: ExampleEmulator) => unknown[]) =>
  Object.fromEntries(emulators.map((e) => [e.cloud, what(e).length]));
const withZeros = (clouds: CloudName[], expected: Partial<Record<CloudName, number>>) => Object.fromEntries(clouds.map((c) => [c, expected[c] ?? 0]));

describe.each(exampleDirs().filter((name) => exampleConfigs[name]))("examples/%s", (example) => {
  const row = exampleConfigs[example];
  const project = projectName(example);
  let emulators: ExampleEmulator[] = [];
  let program: ProgramDir | undefined;
  let host: DynamicHost | undefined;

  afterAll(async () => {
    await host?.close();
    await Promise.all(emulators.map((e) => e.close()));
    program?.cleanup();
  });

  test("up creates its machines in the emulators with sensible outputs; destroy leaves nothing", async () => {
    emulators = await Promise.all(row.clouds.map(startExampleEmulator));
    program = createProgramDir(example, { packageRoot: REPO_ROOT, project });
    const providers = providerConfig(emulators);
    const own = Object.fromEntries(Object.entries(row.config(emulators)).map(([k, v]) => [`${project}:${k}`, v]));
    const config = { ...providers, ...own };
    const js = programJs(example);
    const resources = await captureResources(program, js, { config, stack: STACK, secretKeys: row.clouds.map((c) => `${c}:apiKey`) });
    expect(resources.length).toBeGreaterThan(0);

    host = await startDynamicHost({ cwd: program.dir, project, stack: STACK, callTimeoutMs: 120_000 });
    await host.configure(providers);
    const runner = new StackRunner(host, project, STACK);
    await runner.up(resources);

    expect(counts(emulators, (e) => e.machines())).toEqual(withZeros(row.clouds, row.expectMachines));
    expect(counts(emulators, (e) => e.sshKeys())).toEqual(withZeros(row.clouds, row.expectSshKeys));
    const machines = emulators.flatMap((e) => e.machines());
    const outputs = await stackExports(program, js, runner.state.values(), { config, stack: STACK });
    row.checkOutputs(outputs, { machines, emulators });

    await runner.destroy();
    expect(counts(emulators, (e) => e.machines())).toEqual(withZeros(row.clouds, {}));
    expect(counts(emulators, (e) => e.sshKeys())).toEqual(withZeros(row.clouds, {}));
  }, 180_000);
});
