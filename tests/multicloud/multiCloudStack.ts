import { generateKeyPairSync } from "crypto";
import {
  fluencePlanOptions,
  gpcnDatacenters,
  startFluenceEmulator,
  startGpcnEmulator,
  startNovaEmulator,
  startNovitaEmulator,
  type FluenceEmulator,
  type GpcnEmulator,
  type NovaEmulator,
  type NovitaEmulator,
} from "../../emulator";
import { openSshPublicKeyText } from "../../emulator/core/sshPublicKey";
import { captureResources, type CapturedResource } from "../harness/captureProviders";
import { closeAllHosts, startDynamicHost, urn, type DynamicHost, type Props } from "../harness/dynamicHost";
import { nativeResources, type Door } from "../harness/doors";
import { createProgramDir, REPO_ROOT, type ProgramDir } from "../harness/programDir";
import { startPluginHost } from "../plugin/pluginHost";

// All four emulators at once and one host configured for every cloud: what a stack using
// multicloud:GpuVm (or getOffers) sees.

export const KEYS = {
  gpcn: "gpcn_multi_key_4b8e1f0a",
  nova: "nv_live_multi_key_9d2c7a",
  novita: "novita_multi_key_6a3f9e",
  fluence: "fluence_multi_key_2c7d5b",
};
export const CLOUDS = ["gpcn", "nova", "novita", "fluence"] as const;
export const PUBLIC_KEY = openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, "me@laptop");
export const PASSWORD = "correct-horse-battery-staple";

export interface Emulators {
  gpcn: GpcnEmulator;
  nova: NovaEmulator;
  novita: NovitaEmulator;
  fluence: FluenceEmulator;
  /** Stack config pointing every cloud at its emulator with its key. */
  config: Record<string, string>;
  close(): Promise<void>;
}

export async function startEmulators(): Promise<Emulators> {
  const [gpcn, nova, novita, fluence] = await Promise.all([
    startGpcnEmulator({ apiKeys: [KEYS.gpcn], timeScale: 600 }),
    startNovaEmulator({ apiKeys: [KEYS.nova], timeScale: 600, rateLimit: null, account: { balance: 10_000, maxVms: 50, maxHourlySpend: 500 } }),
    startNovitaEmulator({ apiKeys: [KEYS.novita], timeScale: 600 }),
    startFluenceEmulator({ apiKeys: [KEYS.fluence], timeScale: 600 }),
  ]);
  const urls = { gpcn: gpcn.url, nova: nova.url, novita: novita.url, fluence: fluence.url };
  const config: Record<string, string> = { "nova:requestsPerMinute": "1200" };
  for (const c of CLOUDS) Object.assign(config, { [`${c}:apiKey`]: KEYS[c], [`${c}:endpoint`]: urls[c] });
  return {
    gpcn,
    nova,
    novita,
    fluence,
    config,
    close: async () => void (await Promise.all([gpcn.close(), nova.close(), novita.close(), fluence.close()])),
  };
}

export const KANSAS = gpcnDatacenters.find((d) => d.code === "KAN-1")!.id;
export const H100_US_EAST = fluencePlanOptions.find((o) => o.kind === "vm" && o.gpuModel.model === "h100" && o.gpuCount === 1 && o.location === "us-east-2")!;

/** An offer on `cloud` as the tests declare it (a GPCN VM needs the stack's key id); `extra` adds inputs. */
export function offerOf(cloud: (typeof CLOUDS)[number], sshKeyId: string, extra: Record<string, unknown> = {}) {
  const inputs = {
    gpcn: { datacenterId: KANSAS, seriesCode: "h100_series", gpuCount: 1, sshKeyId },
    nova: { gpuType: "4090", gpuCount: 1, storageGb: 100, authMethod: "password", password: PASSWORD },
    novita: { productName: "RTX 4090", gpuCount: 1, rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" },
    fluence: { planId: H100_US_EAST.id, osImage: H100_US_EAST.osOptions[0], sshPublicKey: PUBLIC_KEY },
  }[cloud];
  return { cloud, inputs: { ...inputs, ...extra } };
}

/** A ConfigSource like the one the host's configure stores. */
export const configSource = (config: Record<string, string>) => ({ get: (k: string) => config[k] });

/** Machines that exist (not deleted or ended) on each emulator. */
export function liveMachines(e: Emulators): Record<(typeof CLOUDS)[number], string[]> {
  return {
    gpcn: e.gpcn.vms().filter((v) => !/^delet/i.test(v.status)).map((v) => v.id),
    nova: e.nova.vms().filter((v) => v.status !== "destroyed").map((v) => v.id),
    novita: e.novita.instances().filter((i) => i.status !== "removed" && i.status !== "removing").map((i) => i.id),
    fluence: e.fluence.instances().filter((i) => i.status !== "ENDED" && i.status !== "FAILED").map((i) => i.id),
  };
}

/** A program with a GPCN key (for GPCN offers) and one multicloud VM; tests set its offers per case. */
export const PROGRAM = `
const { gpcn, multicloud } = require("pulumi-gpucloud");
new gpcn.SshKey("key", { algorithm: "ed25519" });
new multicloud.GpuVm("vm", { name: "trainer", offers: [{ cloud: "novita", inputs: { productName: "RTX 4090", gpuCount: 1, rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" } }] });
`;

export interface MultiCloudStack {
  emulators: Emulators;
  program: ProgramDir;
  resources: CapturedResource[];
  host: DynamicHost;
  byName(name: string): CapturedResource;
  urnOf(name: string): string;
  /** check then create, as the engine does; check failures throw. */
  checkAndCreate(name: string, props: Props): Promise<{ id: string; properties: Props }>;
  close(): Promise<void>;
}

export async function startMultiCloudStack(programJs = PROGRAM, door: Door = "dynamic"): Promise<MultiCloudStack> {
  const emulators = await startEmulators();
  const program = createProgramDir("multicloud", { packageRoot: REPO_ROOT });
  const stack = "test";
  const captured = await captureResources(program, programJs, { stack });
  const resources = door === "plugin" ? nativeResources(captured) : captured;
  const blankEnv = Object.fromEntries(CLOUDS.flatMap((c) => [`${c.toUpperCase()}_API_KEY`, `${c.toUpperCase()}_ENDPOINT`]).map((k) => [k, ""]));
  const host =
    door === "plugin"
      ? await startPluginHost({ packageRoot: `${program.dir}/node_modules/${program.packageName}`, cwd: program.dir, project: program.project, env: blankEnv })
      : await startDynamicHost({ cwd: program.dir, project: program.project, stack, env: blankEnv, captureEngineLogs: true });
  await host.configure(emulators.config);
  const byName = (name: string) => {
    const r = resources.find((x) => x.name === name);
    if (!r) throw new Error(`no captured resource ${name}`);
    return r;
  };
  const urnOf = (name: string) => urn(program.project, stack, byName(name).type, name);
  return {
    emulators,
    program,
    resources,
    host,
    byName,
    urnOf,
    async checkAndCreate(name, props) {
      const checked = await host.check(urnOf(name), {}, props);
      if (checked.failures.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
      return host.create(urnOf(name), checked.inputs);
    },
    async close() {
      await closeAllHosts();
      await emulators.close();
      program.cleanup();
    },
  };
}
