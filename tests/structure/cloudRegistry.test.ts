import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { clouds, cloudNames } from "../../provider/clouds";
import { resourceTypes } from "../../provider/index";
import { offerClouds } from "../../provider/offers/offerSources";
import { clouds as emulatorClouds } from "../../emulator/clouds";
import { cloudsUnderTest } from "../reliability/clouds";
import { gpcnCloud } from "../../provider/gpcn/client";
import { novaCloud } from "../../provider/nova/client";
import { novitaCloud } from "../../provider/novita/client";
import { fluenceCloud } from "../../provider/fluence/client";

// provider/clouds.ts is the one place a cloud is registered; everything else is derived from it.

test("each descriptor carries its client spec's name and label", () => {
  const specs = [gpcnCloud, novaCloud, novitaCloud, fluenceCloud];
  expect(clouds.map((c) => [c.name, c.title])).toEqual(specs.map((s) => [s.name, s.label]));
  for (const spec of specs) expect(spec.name).toBe(spec.name.toLowerCase());
});

test("the handler table is every registered cloud's resources, plus multicloud:GpuVm", () => {
  const fromRegistry = clouds.flatMap((c) => Object.keys(c.resources).map((r) => `${c.name}:${r}`));
  expect(resourceTypes).toEqual([...fromRegistry, "multicloud:GpuVm"]);
  expect(resourceTypes).toEqual(["gpcn:GpuVm", "gpcn:SshKey", "nova:GpuVm", "nova:SshKey", "novita:GpuVm", "fluence:GpuVm", "fluence:SshKey", "multicloud:GpuVm"]);
});

test("offer sources, the emulator's cloud list and the reliability matrix follow the registry", () => {
  expect(offerClouds).toEqual(cloudNames);
  // The emulator keeps 0.1.0's port order under --cloud all (emulator/clouds.ts).
  expect([...Object.keys(emulatorClouds)].sort()).toEqual([...cloudNames].sort());
  expect(cloudsUnderTest.map((c) => c.cloud)).toEqual(cloudNames);
  for (const c of clouds) {
    expect(emulatorClouds[c.name].title).toBeTruthy();
    expect(c.offerSource().cloud).toBe(c.name);
  }
});

test("a check of one GPCN VM loads no other cloud's code (compiled package, fresh process)", () => {
  const dist = path.join(__dirname, "..", "..", "dist", "provider");
  const script = `
    const provider = require(${JSON.stringify(path.join(dist, "index.js"))});
    provider.handlerFor("gpcn:GpuVm").check(undefined, {}, { name: "" }).then(() => {
      const loaded = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(dist)}));
      console.log(JSON.stringify(loaded.map((f) => f.slice(${JSON.stringify(dist)}.length + 1))));
    });`;
  const loaded: string[] = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
  expect(loaded).toContain(path.join("gpcn", "gpuVm.js"));
  expect(loaded.filter((f) => /^(nova|novita|fluence|multicloud)[/\\]/.test(f) && !/descriptor\.js$/.test(f))).toEqual([]);
});
