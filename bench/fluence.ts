import { generateKeyPairSync } from "crypto";
import { fluencePlanOptions, startFluenceEmulator } from "../emulator";
import { openSshPublicKeyText } from "../emulator/core/sshPublicKey";
import type { DynamicHost } from "../tests/harness/dynamicHost";
import type { BenchCloud, BenchEmulator, BenchEmulatorOptions } from "./clouds";
import { benchEmulatorBase } from "./clouds";
import { naiveFluencePoller } from "./naiveFluencePoller";
import type { BenchStack } from "./stack";

const API_KEY = "fluence_bench_key_6a1d9e3c7b52";
const PUBLIC_KEY = openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, "bench@fluence");
/** What our provider resolves h100 ×1 to (the cheapest VM option); the naive client is given it. */
const CHEAPEST_H100 = fluencePlanOptions
  .filter((o) => o.kind === "vm" && o.gpuModel.model === "h100" && o.gpuCount === 1)
  .sort((a, b) => a.pricePerHour - b.pricePerHour || a.id.localeCompare(b.id))[0];
const OS_IMAGE = CHEAPEST_H100.osOptions[0];

/** `updated_at` of an ACTIVE instance is when it became ACTIVE, with microseconds ("….123000Z"). */
const parseFluenceTime = (iso: string) => Date.parse(iso.replace(/\.(\d{3})\d*Z$/, ".$1Z"));

async function startEmulator(o: BenchEmulatorOptions): Promise<BenchEmulator> {
  const emu = await startFluenceEmulator({
    apiKeys: [API_KEY],
    timeScale: o.timeScale,
    // INITIALIZED → ACTIVE after provisioningSeconds.
    provisioningSeconds: o.provisioningSeconds,
    rateLimit: o.rateLimit,
    // A deploy takes 3 h of the price up front (5.85 USDC for the h100): 85+ deploys per emulator.
    balance: 1_000_000,
    seed: "bench",
  });
  return {
    ...benchEmulatorBase(emu),
    completedAt: (vmId) => {
      const i = emu.instances().find((x) => x.id === vmId);
      return i?.status === "ACTIVE" ? parseFluenceTime(i.updated_at) : null;
    },
  };
}

export const fluenceBench: BenchCloud = {
  name: "fluence",
  apiKey: API_KEY,
  envPrefix: "FLUENCE",
  vmType: "fluence:GpuVm",
  resourceNames: { "fluence:GpuVm": "vm", "fluence:SshKey": "key" },
  program: `
const { fluence } = require("pulumi-gpucloud");
const key = new fluence.SshKey("key", { publicKey: ${JSON.stringify(PUBLIC_KEY)} });
new fluence.GpuVm("vm", { name: "trainer", gpuModel: "h100", gpuCount: 1, osImage: ${JSON.stringify(OS_IMAGE)}, sshPublicKey: key.publicKey });
`,
  implementationFiles: ["dist/provider/fluence/gpuVm.js", "dist/provider/fluence/sshKey.js", "dist/provider/fluence/client.js"],
  naiveDescription:
    `one client per VM: POST /gpu/instances/vms with the plan option given (${CHEAPEST_H100.id}, no /gpu/plans look-up), then GET /gpu/instances/vms/{id} after 1 s doubling to a 10 s cap until ACTIVE; no read at the end (the poll returned the instance); 429/5xx retried 3× (Retry-After ≤ 30 s honoured)`,
  pollsWithoutEstimate: true,
  perMachineFollowUp: "GET /gpu/instances/vms/:instance_id",
  requestKinds: {
    "POST /gpu/instances/vms": "create",
    "GET /gpu/instances/vms/:instance_id": "follow-up per machine: its detail once ACTIVE, as list items lack ssh_connection, os_image and billing (shared/api/fluence.md §7)",
    "GET /gpu/instances/vms": "list: the look-up of existing instances before the deploys and the status of all waiting instances, one listing per tick shared by the process",
    "GET /gpu/plans/vms": "list: plans, one read shared by the deploys",
  },
  statusListPath: "/gpu/instances/vms",
  noFleetVariantBecause:
    "the floor is the API's: the instance list lacks ssh_connection and billing, so each instance costs its deploy and one GET once ACTIVE (128 for 64, over the 100/60 s budget, hence one wait for the next window); plans, look-ups and status polls are shared",
  setupNote:
    "Fluence emulator: ACTIVE 180 s after the deploy (its default is 150 s), balance 1 000 000 USDC (a deploy takes 3 h of the price up front); fluence:requestsPerMinute = 100 (the provider's default is 120).",
  startEmulator,
  config: (emu) => ({ "fluence:apiKey": API_KEY, "fluence:endpoint": emu.url, "fluence:requestsPerMinute": "100" }),
  async prepareVms(stack: BenchStack, host: DynamicHost) {
    // The key library entry a user's stack would have; the VM is given its public key.
    const key = stack.byName("key");
    const keyUrn = stack.urnOf("key", "bench-key");
    const checked = await host.check(keyUrn, {}, { ...key.inputs, name: "bench-key" });
    if (checked.failures.length) throw new Error(`bench: fluence SshKey check failed: ${JSON.stringify(checked.failures)}`);
    const created = await host.create(keyUrn, checked.inputs);
    const publicKey = String(created.properties.publicKey ?? PUBLIC_KEY);
    const vm = stack.byName("vm").inputs;
    return (name: string) => ({ ...vm, name, sshPublicKey: publicKey });
  },
  previewVmInputs: (stack, name) => ({ ...stack.byName("vm").inputs, name, sshPublicKey: PUBLIC_KEY }),
  async naive(emu) {
    return naiveFluencePoller({ url: emu.url, apiKey: API_KEY, planId: CHEAPEST_H100.id, osImage: OS_IMAGE, publicKey: PUBLIC_KEY });
  },
};
