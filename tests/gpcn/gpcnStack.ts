import { gpcnDatacenters, startGpcnEmulator, type GpcnEmulator, type GpcnEmulatorOptions } from "../../emulator";
import { captureResources, type CapturedResource } from "../harness/captureProviders";
import { closeAllHosts, startDynamicHost, type DynamicHost } from "../harness/dynamicHost";
import { createProgramDir, REPO_ROOT, type LinkMode, type ProgramDir } from "../harness/programDir";

export const API_KEY = "gpcn_test_key_7f3a9c2e5b1d";
export const KANSAS = gpcnDatacenters.find((d) => d.code === "KAN-1")!.id;

/** A user's program: one generated key and one H100 VM that uses it. */
export function quickstartProgram(vm: Record<string, unknown> = {}): string {
  const args = { name: "trainer", datacenterId: KANSAS, seriesCode: "h100_series", gpuCount: 1, ...vm };
  return `
const { gpcn } = require("pulumi-gpucloud");
const key = new gpcn.SshKey("key", { algorithm: "ed25519" });
new gpcn.GpuVm("vm", { ...${JSON.stringify(args)}, sshKeyId: key.id });
`;
}

export interface GpcnStack {
  emulator: GpcnEmulator;
  program: ProgramDir;
  resources: CapturedResource[];
  host: DynamicHost;
  byName(name: string): CapturedResource;
  newHost(env?: Record<string, string>, config?: Record<string, string>): Promise<DynamicHost>;
  close(): Promise<void>;
}

/** Emulator + a program with the package installed under node_modules + a configured host. */
export async function startGpcnStack(opts: { emulator?: GpcnEmulatorOptions; linkMode?: LinkMode; program?: string } = {}): Promise<GpcnStack> {
  const emulator = await startGpcnEmulator({ apiKeys: [API_KEY], timeScale: 600, ...opts.emulator });
  const program = createProgramDir("gpcn", { packageRoot: REPO_ROOT, linkMode: opts.linkMode });
  const resources = await captureResources(program, opts.program ?? quickstartProgram());
  const newHost = async (env: Record<string, string> = {}, config: Record<string, string> = { "gpcn:apiKey": API_KEY, "gpcn:endpoint": emulator.url }) => {
    const host = await startDynamicHost({ cwd: program.dir, project: program.project, env: { GPCN_API_KEY: "", GPCN_ENDPOINT: "", ...env } });
    await host.configure(config);
    return host;
  };
  const host = await newHost();
  return {
    emulator,
    program,
    resources,
    host,
    byName: (name) => {
      const r = resources.find((x) => x.name === name);
      if (!r) throw new Error(`no captured resource ${name}`);
      return r;
    },
    newHost,
    async close() {
      await closeAllHosts();
      await emulator.close();
      program.cleanup();
    },
  };
}
