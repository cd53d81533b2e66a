import * as fs from "fs";
import * as path from "path";
import type { CapturedResource } from "../harness/captureProviders";
import type { DynamicHost } from "../harness/dynamicHost";
import type { ProgramDir } from "../harness/programDir";
import type { StackResource } from "../harness/stackRunner";
import { startFluenceStack, PUBLIC_KEY as FLUENCE_PUBLIC_KEY, CHEAPEST_H100 } from "../fluence/fluenceStack";
import { startGpcnStack, KANSAS } from "../gpcn/gpcnStack";
import { startMultiCloudStack } from "../multicloud/multiCloudStack";
import { PUBLIC_KEY as NOVA_PUBLIC_KEY, startNovaStack } from "../nova/novaStack";
import { startNovitaStack } from "../novita/novitaStack";

// Golden state written by an older release, one folder per program under fixtures/<version>/:
// program.js (the user's program, literal) and state.json (every resource as the engine stored it
// after `pulumi up`: type, name, id, inputs and outputs, both with `__provider`). Between them
// they cover every resource type. renewUpgradeFixtures.ts writes them; upgrade.test.ts replays them.

/** The release whose state upgrade.test.ts replays: the newest folder under fixtures/. */
export const FIXTURE_VERSION = "0.1.0";
/** The first release with fixtures: the only folder that needs no migration note. */
export const FIRST_FIXTURE_VERSION = "0.1.0";
export const FIXTURES = path.join(__dirname, "fixtures");
export const FIXTURE_ROOT = path.join(FIXTURES, FIXTURE_VERSION);
/** In fixtures/<version>/ of every renewal: what stacks of the previous version see on upgrade, and why. */
export const MIGRATION_NOTE = "MIGRATION.md";

/** Version folders under `root`, oldest first. */
export function fixtureVersions(root: string = FIXTURES): string[] {
  const parts = (v: string) => v.split(".").map(Number);
  const older = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+\.\d+\.\d+$/.test(d.name))
    .map((d) => d.name)
    .sort(older);
}

/**
 * Why fixtures/<version>/ may not be written now, or undefined. A release's fixtures are never
 * rewritten (that would make a failing upgrade test pass); a new release's folder needs its
 * migration note, naming the release before it, written first.
 */
export function renewalRefusal(version: string, root: string = FIXTURES): string | undefined {
  const dir = path.join(root, version);
  const written = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
  if (written.length) return `fixtures/${version}/ already holds the state ${version} wrote (${written.join(", ")}): a release's fixtures are never rewritten. For a release that changes stored state on purpose, set FIXTURE_VERSION to the new version and write fixtures/<new version>/${MIGRATION_NOTE} first.`;
  const previous = fixtureVersions(root).filter((v) => v !== version).pop();
  if (previous === undefined) return undefined;
  const notePath = path.join(dir, MIGRATION_NOTE);
  const note = fs.existsSync(notePath) ? fs.readFileSync(notePath, "utf8") : "";
  if (!note.includes(previous)) return `write fixtures/${version}/${MIGRATION_NOTE} first: what stacks written by ${previous} see after upgrading to ${version} (which machines change or are replaced, and why), naming ${previous}.`;
  return undefined;
}

/** A resource as the engine stored it: the same shape the harness's stack runner keeps. */
export type StoredResource = StackResource;

/** A program deployed against emulators, with a configured host: what replaying a fixture needs. */
export interface FixtureWorld {
  program: ProgramDir;
  /** The program's resources as the package installed in program.dir registers them. */
  resources: CapturedResource[];
  host: DynamicHost;
  urnOf(name: string): string;
  close(): Promise<void>;
}

export interface FixtureProgram {
  /** Folder name under fixtures/<version>/. */
  name: string;
  /** Program text used when the fixtures are renewed; the replay reads program.js instead. */
  program(): string;
  start(program: string): Promise<FixtureWorld>;
}

// Seeded emulators make renewed fixtures differ only where the package changed.
const SEED = "upgrade-fixtures";

export const fixturePrograms: FixtureProgram[] = [
  {
    name: "gpcn",
    program: () => `
const { gpcn } = require("pulumi-gpucloud");
const key = new gpcn.SshKey("key", { algorithm: "ed25519" });
new gpcn.GpuVm("vm", { name: "trainer", datacenterId: ${JSON.stringify(KANSAS)}, seriesCode: "h100_series", gpuCount: 1, sshKeyId: key.id });
`,
    start: (program) => startGpcnStack({ program, emulator: { seed: SEED } }),
  },
  {
    name: "nova",
    program: () => `
const { nova } = require("pulumi-gpucloud");
const key = new nova.SshKey("key", { name: "laptop", publicKey: ${JSON.stringify(NOVA_PUBLIC_KEY)} });
new nova.GpuVm("vm", { name: "trainer", gpuType: "4090", gpuCount: 1, storageGb: 100, sshKeyId: key.id });
`,
    start: (program) => startNovaStack({ program, emulator: { seed: SEED } }),
  },
  {
    name: "novita",
    program: () => `
const { novita } = require("pulumi-gpucloud");
new novita.GpuVm("vm", { name: "trainer", productName: "RTX 4090", gpuCount: 1, rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest", ports: [{ port: 8080, type: "http" }], envs: [{ key: "MODE", value: "train" }] });
`,
    start: (program) => startNovitaStack({ program, emulator: { seed: SEED } }),
  },
  {
    name: "fluence",
    program: () => `
const { fluence } = require("pulumi-gpucloud");
const key = new fluence.SshKey("key", { publicKey: ${JSON.stringify(FLUENCE_PUBLIC_KEY)} });
new fluence.GpuVm("vm", { name: "trainer", gpuModel: "h100", gpuCount: 1, osImage: ${JSON.stringify(CHEAPEST_H100.osOptions[0])}, sshPublicKey: key.publicKey });
`,
    start: (program) => startFluenceStack({ program, emulator: { seed: SEED } }),
  },
  {
    name: "multicloud",
    program: () => `
const { gpcn, multicloud } = require("pulumi-gpucloud");
const key = new gpcn.SshKey("key", { algorithm: "ed25519" });
new multicloud.GpuVm("vm", { name: "trainer", offers: [
  { cloud: "gpcn", inputs: { datacenterId: ${JSON.stringify(KANSAS)}, seriesCode: "h100_series", gpuCount: 1, sshKeyId: key.id } },
  { cloud: "novita", inputs: { productName: "RTX 4090", gpuCount: 1, rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" } },
] });
`,
    start: async (program) => {
      const stack = await startMultiCloudStack(program);
      return { ...stack, close: () => stack.close() };
    },
  },
];

export function fixtureDir(name: string): string {
  return path.join(FIXTURE_ROOT, name);
}

export function readFixture(name: string): { program: string; state: StoredResource[] } {
  const dir = fixtureDir(name);
  return {
    program: fs.readFileSync(path.join(dir, "program.js"), "utf8"),
    state: JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")),
  };
}

/**
 * The program's inputs as the engine sends them to check: the mock ids of other resources
 * (`<name>-id`, and inputs copied from their mock state) replaced by what the stored state holds.
 */
export function programInputs(captured: CapturedResource, stored: StoredResource[]): Record<string, any> {
  const byMockId = new Map(stored.map((r) => [`${r.name}-id`, r.id]));
  const resolve = (value: any): any => {
    if (typeof value === "string") return byMockId.get(value) ?? value;
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  return resolve(captured.inputs);
}
