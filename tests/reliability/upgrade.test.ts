import { providerText } from "../harness/captureProviders";
import { StackRunner } from "../harness/stackRunner";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIRST_FIXTURE_VERSION, fixturePrograms, fixtureVersions, FIXTURE_VERSION, MIGRATION_NOTE, programInputs, readFixture, renewalRefusal, FIXTURES, type FixtureWorld, type StoredResource } from "./upgradeFixtures";

// Upgrade safety: state written by release FIXTURE_VERSION (fixtures/<version>/, see its README)
// must mean "no change" to the code as it is now, through the dynamic-provider host as the engine
// drives it. A change that fails here would replace or rewrite users' machines on upgrade: renew
// the fixtures only on purpose, with a migration note.

jest.setTimeout(120_000);

describe("renewing the fixtures", () => {
  test(`the replayed fixtures are the newest; every folder after ${FIRST_FIXTURE_VERSION} carries a migration note naming the release before it`, () => {
    const versions = fixtureVersions();
    expect(versions[0]).toBe(FIRST_FIXTURE_VERSION);
    expect(versions[versions.length - 1]).toBe(FIXTURE_VERSION);
    for (const [i, version] of versions.entries()) {
      if (i === 0) continue;
      const note = path.join(FIXTURES, version, MIGRATION_NOTE);
      expect({ version, note: fs.existsSync(note) && fs.readFileSync(note, "utf8").includes(versions[i - 1]) }).toEqual({ version, note: true });
    }
  });

  test("npm run fixtures:upgrade refuses to rewrite a release's fixtures, and a new release's without its migration note", () => {
    expect(renewalRefusal(FIXTURE_VERSION)).toMatch(/already holds the state .* never rewritten/);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "fixtures-"));
    try {
      fs.mkdirSync(path.join(root, "0.1.0", "gpcn"), { recursive: true });
      expect(renewalRefusal("0.2.0", root)).toMatch(/write fixtures\/0\.2\.0\/MIGRATION\.md first: .* naming 0\.1\.0/);
      fs.mkdirSync(path.join(root, "0.2.0"));
      fs.writeFileSync(path.join(root, "0.2.0", MIGRATION_NOTE), "Stacks written by 0.1.0: every GpuVm's diskGb output gains a default of 100; no machine is replaced.\n");
      expect(renewalRefusal("0.2.0", root)).toBeUndefined();
      expect(fixtureVersions(root)).toEqual(["0.1.0", "0.2.0"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.each(fixturePrograms.map((f) => [f.name, f] as const))(`state written by ${FIXTURE_VERSION}: %s`, (name, fixture) => {
  const { program, state } = readFixture(name);
  let world: FixtureWorld;

  beforeAll(async () => {
    world = await fixture.start(program);
  });
  afterAll(() => world?.close());

  test("the fixture covers every resource the program declares", () => {
    expect(state.map((r) => `${r.type}::${r.name}`)).toEqual(world.resources.map((r) => `${r.type}::${r.name}`));
  });

  test("__provider serialized by the installed package is byte-identical to the stored one", () => {
    for (const stored of state) {
      const current = providerText(world.resources, stored.name);
      expect({ name: stored.name, text: current }).toEqual({ name: stored.name, text: stored.inputs.__provider });
      expect({ name: stored.name, text: current }).toEqual({ name: stored.name, text: stored.outputs.__provider });
    }
  });

  test("`pulumi up` of the same program over the stored state: check passes, diff says no change and no replace", async () => {
    for (const stored of state) {
      const captured = world.resources.find((r) => r.name === stored.name)!;
      const u = world.urnOf(stored.name);
      const checked = await world.host.check(u, stored.inputs, programInputs(captured, state));
      expect({ name: stored.name, failures: checked.failures }).toEqual({ name: stored.name, failures: [] });
      const diff = await world.host.diff(stored.id, u, stored.outputs, checked.inputs, stored.inputs);
      expect({ name: stored.name, changes: diff.changes, replaces: diff.replaces }).toEqual({ name: stored.name, changes: "DIFF_NONE", replaces: [] });
    }
  });

  test("`pulumi refresh` reads the stored state of live machines, and the same program then diffs clean", async () => {
    // The machines must exist for a read: deploy the program on the fresh emulators, then point
    // the stored state at them (seeded emulators usually hand out the very same ids).
    const runner = new StackRunner(world.host, world.program.project, "test");
    await runner.up(world.resources);
    let text = JSON.stringify(state);
    for (const stored of state) text = text.split(stored.id).join(runner.state.get(stored.name)!.id);
    const live: StoredResource[] = JSON.parse(text);
    try {
      for (const stored of live) {
        const captured = world.resources.find((r) => r.name === stored.name)!;
        const u = world.urnOf(stored.name);
        const read = await world.host.read(stored.id, u, stored.outputs, stored.inputs);
        expect({ name: stored.name, id: read.id }).toEqual({ name: stored.name, id: stored.id });
        const inputs = read.inputs ?? stored.inputs;
        const checked = await world.host.check(u, inputs, programInputs(captured, live));
        expect(checked.failures).toEqual([]);
        const diff = await world.host.diff(stored.id, u, read.properties, checked.inputs, inputs);
        expect({ name: stored.name, changes: diff.changes, replaces: diff.replaces }).toEqual({ name: stored.name, changes: "DIFF_NONE", replaces: [] });
      }
    } finally {
      await runner.destroy();
    }
  });
});
