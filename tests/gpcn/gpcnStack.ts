import { gpcnDatacenters, startGpcnEmulator, type GpcnEmulator, type GpcnEmulatorOptions } from "../../emulator";
import { startCloudStack, type CloudStack } from "../harness/cloudStack";
import type { Door } from "../harness/doors";
import type { LinkMode } from "../harness/programDir";

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

export type GpcnStack = CloudStack<GpcnEmulator>;

export function startGpcnStack(opts: { door?: Door; emulator?: GpcnEmulatorOptions; linkMode?: LinkMode; program?: string } = {}): Promise<GpcnStack> {
  return startCloudStack({
    cloud: "gpcn",
    apiKey: API_KEY,
    startEmulator: () => startGpcnEmulator({ apiKeys: [API_KEY], timeScale: 600, ...opts.emulator }),
    program: opts.program ?? quickstartProgram(),
    door: opts.door,
    linkMode: opts.linkMode,
  });
}
