import { gpcnDatacenters, gpcnGpuSeries, startGpcnEmulator } from "../emulator";
import type { DynamicHost } from "../tests/harness/dynamicHost";
import type { BenchCloud, BenchEmulator, BenchEmulatorOptions } from "./clouds";
import { benchEmulatorBase } from "./clouds";
import { NaiveGpcnPoller } from "./naiveGpcnPoller";
import type { BenchStack } from "./stack";

const API_KEY = "gpcn_bench_key_5e8c1a7d3f90";
const KANSAS = gpcnDatacenters.find((d) => d.code === "KAN-1")!.id;
const H100 = gpcnGpuSeries.find((s) => s.code === "h100_series")!;

async function startEmulator(o: BenchEmulatorOptions): Promise<BenchEmulator> {
  const emu = await startGpcnEmulator({
    apiKeys: [API_KEY],
    timeScale: o.timeScale,
    provisioningSeconds: o.provisioningSeconds,
    rateLimit: o.rateLimit,
    stockPerOffer: 1000,
    seed: "bench",
  });
  return {
    ...benchEmulatorBase(emu),
    completedAt: (vmId) => {
      const job = emu.jobs().find((j) => j.resourceId === vmId && j.operation === "create");
      return (job && emu.jobTimeline(job.jobId)?.completedAt) ?? null;
    },
  };
}

/** Has the emulator generate a key for the naive client, before anything is counted. */
async function generateKey(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/resource/ssh-keys`, {
    method: "POST",
    headers: { "x-api-key": API_KEY, "content-type": "application/json" },
    body: JSON.stringify({ name, type: "generate", algorithm: "ed25519" }),
  });
  if (!res.ok) throw new Error(`bench: could not create an SSH key on the GPCN emulator: HTTP ${res.status}`);
  return ((await res.json()) as any).data.id;
}

export const gpcnBench: BenchCloud = {
  name: "gpcn",
  apiKey: API_KEY,
  envPrefix: "GPCN",
  vmType: "gpcn:GpuVm",
  resourceNames: { "gpcn:GpuVm": "vm", "gpcn:SshKey": "key" },
  program: `
const { gpcn } = require("pulumi-gpucloud");
const key = new gpcn.SshKey("key", { algorithm: "ed25519" });
new gpcn.GpuVm("vm", { name: "trainer", datacenterId: ${JSON.stringify(KANSAS)}, seriesCode: "h100_series", gpuCount: 1, sshKeyId: key.id });
`,
  implementationFiles: ["dist/provider/gpcn/gpuVm.js", "dist/provider/gpcn/sshKey.js", "dist/provider/gpcn/client.js"],
  naiveDescription:
    "one client per VM, as the official GPCN Terraform provider: POST, poll its own job after 1 s doubling to a 10 s cap, one GET at the end; 429/5xx retried 3× (Retry-After ≤ 30 s honoured); seriesId given (no inventory request)",
  startEmulator,
  config: (emu) => ({ "gpcn:apiKey": API_KEY, "gpcn:endpoint": emu.url, "gpcn:requestsPerMinute": "100" }),
  async prepareVms(stack: BenchStack, host: DynamicHost) {
    const key = stack.byName("key");
    const keyUrn = stack.urnOf("key", "bench-key");
    const checked = await host.check(keyUrn, {}, { ...key.inputs, name: "bench-key" });
    if (checked.failures.length) throw new Error(`bench: SshKey check failed: ${JSON.stringify(checked.failures)}`);
    const created = await host.create(keyUrn, checked.inputs);
    const vm = stack.byName("vm").inputs;
    return (name: string) => ({ ...vm, name, sshKeyId: created.id });
  },
  previewVmInputs: (stack, name) => ({ ...stack.byName("vm").inputs, name, sshKeyId: "4a7e0c0e-9a51-4c55-9d1b-6f1c1b1e2d3f" }),
  fleetVariants: [
    {
      label: "seriesId given instead of seriesCode (no inventory look-up per VM)",
      vmInputs: ({ seriesCode: _code, ...inputs }) => ({ ...inputs, seriesId: H100.id }),
    },
  ],
  async naive(emu) {
    const sshKeyId = await generateKey(emu.url, "naive-key");
    return new NaiveGpcnPoller({ url: emu.url, apiKey: API_KEY, datacenterId: KANSAS, seriesId: H100.id, sshKeyId });
  },
};
