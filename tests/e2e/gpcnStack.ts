import { randomBytes } from "crypto";
import { REPO_ROOT } from "../harness/programDir";
import { gpcnDatacenters, startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { killAll, type PulumiProject } from "./pulumiProject";

// The GPCN emulator the e2e programs deploy to, and the TypeScript program they run.

/** A key no other test uses, so finding it in state or output can only mean it leaked. */
export const newApiKey = () => `gpcn_e2e_${randomBytes(12).toString("hex")}`;

export const KANSAS_CITY = gpcnDatacenters.find((d) => d.code === "KAN-1")!.id;

/**
 * `timeScale` 60: a create job (180 emulated s) takes 3 real seconds, long enough that a create
 * returning early would be seen, short enough for CI. No rate limit: the suite checks the engine's
 * use of the provider, and the limiter has its own tests.
 */
export async function startE2eEmulator(apiKey: string, timeScale = 60): Promise<GpcnEmulator> {
  return startGpcnEmulator({ apiKeys: [apiKey], timeScale, rateLimit: null });
}

/** Machines that exist (and bill): what "no duplicate, no orphan" counts. */
export const liveVms = (e: GpcnEmulator) => e.vms().filter((v) => !/^delet/i.test(v.status));

/** One SSH key and one VM; the VM's name and GPU count come from config so a test can change them. */
export const GPCN_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { gpcn } from "pulumi-gpucloud";

const config = new pulumi.Config();
const key = new gpcn.SshKey("key", { algorithm: "ed25519" });
const vm = new gpcn.GpuVm("trainer", {
  name: config.require("vmName"),
  datacenterId: config.require("datacenterId"),
  seriesCode: "h100_series",
  gpuCount: config.requireNumber("gpuCount") as 1 | 2 | 4 | 8,
  skuCode: config.get("skuCode"), // unset: GPCN picks the cheapest SKU
  sshKeyId: key.id,
  createTimeoutSeconds: 600,
});

export const vmId = vm.id;
export const status = vm.status;
export const privateKey = key.privateKey;
`;

/**
 * Stack config against `emulator`: the dynamic SDK's provider config (GPCN_PROGRAM), or the native
 * package's (gpcnYamlProgram).
 */
export function gpcnConfig(emulator: GpcnEmulator, apiKey: string, vmName: string, door: "dynamic" | "native" = "dynamic") {
  const [endpoint, key] = door === "dynamic" ? ["gpcn:endpoint", "gpcn:apiKey"] : ["gpucloud:gpcnEndpoint", "gpucloud:gpcnApiKey"];
  return {
    [endpoint]: { value: emulator.url },
    [key]: { value: apiKey, secret: true },
    vmName: { value: vmName },
    datacenterId: { value: KANSAS_CITY },
    gpuCount: { value: "1" },
  };
}

/**
 * GPCN_PROGRAM in Pulumi YAML on the native plugin: the engine runs this checkout's
 * ./pulumi-resource-gpucloud (built by npm ci). `vmOptions` go under the VM's `options:`.
 */
export function gpcnYamlProgram(project: string, vmOptions = ""): string {
  return `name: ${project}
runtime: yaml
plugins:
  providers:
    - name: gpucloud
      path: ${REPO_ROOT}
config:
  vmName:
    type: string
  gpuCount:
    type: integer
  datacenterId:
    type: string
resources:
  key:
    type: gpucloud:gpcn:SshKey
    properties:
      algorithm: ed25519
  trainer:
    type: gpucloud:gpcn:GpuVm
    properties:
      name: \${vmName}
      datacenterId: \${datacenterId}
      seriesCode: h100_series
      gpuCount: \${gpuCount}
      sshKeyId: \${key.id}
${vmOptions ? `    options:\n${vmOptions.replace(/^/gm, "      ")}\n` : ""}outputs:
  vmId: \${trainer.id}
  status: \${trainer.status}
  privateKey: \${key.privateKey}
`;
}

/** Emulators and projects a test file starts, all cleaned up by the returned function (for afterAll). */
export function fixtures() {
  const projects: PulumiProject[] = [];
  const emulators: GpcnEmulator[] = [];
  const pids: number[] = [];
  return {
    /** Processes left running on purpose (orphaned plugins), SIGKILLed at cleanup. */
    trackPids(more: number[]): number[] {
      pids.push(...more);
      return more;
    },
    track<T extends { project?: PulumiProject; emulator?: GpcnEmulator }>(started: T): T {
      if (started.project) projects.push(started.project);
      if (started.emulator) emulators.push(started.emulator);
      return started;
    },
    async cleanup() {
      killAll(pids);
      for (const p of projects) p.cleanup();
      await Promise.all(emulators.map((e) => e.close()));
    },
  };
}
