import * as fs from "fs";
import * as path from "path";
import { StackRunner } from "../harness/stackRunner";
import { fixtureDir, fixturePrograms, FIXTURE_VERSION, renewalRefusal } from "./upgradeFixtures";

// Writes the golden state of fixtures/<FIXTURE_VERSION>/ from the package as it is now: each
// program is installed under node_modules (so `__provider` is the require() of the installed shim),
// deployed through the dynamic-provider host against seeded emulators, and what the engine would
// store is written out. Not part of `npm test` (its name does not end in .test.ts); run it with
// `npm run fixtures:upgrade`, only when cutting a release whose state the next one must read.
// It refuses to rewrite a release's folder, and a new one without its migration note (renewalRefusal).

jest.setTimeout(120_000);

const refusal = renewalRefusal(FIXTURE_VERSION);
if (refusal) throw new Error(`npm run fixtures:upgrade: ${refusal}`);

test.each(fixturePrograms.map((f) => [f.name, f] as const))(`write fixtures/${FIXTURE_VERSION}/%s`, async (_name, fixture) => {
  const program = fixture.program();
  const world = await fixture.start(program);
  try {
    const runner = new StackRunner(world.host, world.program.project, "test");
    await runner.up(world.resources);
    const state = world.resources.map((r) => {
      const s = runner.state.get(r.name)!;
      return { type: s.type, name: s.name, id: s.id, inputs: s.inputs, outputs: s.outputs };
    });
    const dir = fixtureDir(fixture.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "program.js"), program.trimStart());
    fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(state, null, 2) + "\n");
    await runner.destroy();
  } finally {
    await world.close();
  }
});
