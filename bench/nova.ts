import { generateKeyPairSync } from "crypto";
import { novaNodes, startNovaEmulator } from "../emulator";
import { openSshPublicKeyText } from "../emulator/core/sshPublicKey";
import type { DynamicHost } from "../tests/harness/dynamicHost";
import type { BenchCloud, BenchEmulator, BenchEmulatorOptions } from "./clouds";
import { benchEmulatorBase } from "./clouds";
import { naiveNovaPoller } from "./naiveNovaPoller";
import type { BenchStack } from "./stack";

const API_KEY = "nv_bench_key_8d2f4a6c1e90";
const PUBLIC_KEY = openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, "bench@nova");
const NAIVE_PUBLIC_KEY = openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, "naive@nova");
const GPU_TYPE = "4090";
/** The node our provider picks for a 4090 ×1 (the cheapest /search offer); the naive client is given it. */
const CHEAPEST_4090 = novaNodes.filter((n) => n.gpuType === GPU_TYPE).sort((a, b) => a.pricePerGpuHour - b.pricePerGpuHour || a.id.localeCompare(b.id))[0].id;
const GPUS_PER_NODE = 256;

/**
 * The Nova emulator's catalog has 32 GPUs in all (emulator/nova/catalog.ts: 12 of them 4090s), so
 * 64 VMs (or the 21 of the lag benchmark) cannot fit. The emulator takes no stock option, so the
 * bench raises every node of the catalog it imports to 256 GPUs, in this process only.
 */
function roomyNodes(): void {
  for (const node of novaNodes) node.gpus = Math.max(node.gpus, GPUS_PER_NODE);
}

async function startEmulator(o: BenchEmulatorOptions): Promise<BenchEmulator> {
  roomyNodes();
  const emu = await startNovaEmulator({
    apiKeys: [API_KEY],
    timeScale: o.timeScale,
    // creating → starting at 60 % → running at 100 %: running 180 s after the create.
    provisioningSeconds: o.provisioningSeconds,
    rateLimit: o.rateLimit,
    account: { balance: 1_000_000, maxVms: 10_000, maxHourlySpend: 1_000_000 },
    seed: "bench",
  });
  return {
    ...benchEmulatorBase(emu),
    completedAt: (vmId) => {
      // started_at is the wall time the VM first reached `running` (ms precision).
      const vm = emu.vms().find((v) => v.id === vmId);
      return vm?.status === "running" && vm.started_at ? Date.parse(vm.started_at) : null;
    },
  };
}

async function uploadKey(url: string): Promise<string> {
  const res = await fetch(`${url}/ssh-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ ssh_public_key: NAIVE_PUBLIC_KEY, label: "naive-key" }),
  });
  if (!res.ok) throw new Error(`bench: could not upload an SSH key to the Nova emulator: HTTP ${res.status}`);
  return ((await res.json()) as any).id;
}

export const novaBench: BenchCloud = {
  name: "nova",
  apiKey: API_KEY,
  envPrefix: "NOVA",
  vmType: "nova:GpuVm",
  resourceNames: { "nova:GpuVm": "vm", "nova:SshKey": "key" },
  program: `
const { nova } = require("pulumi-gpucloud");
const key = new nova.SshKey("key", { name: "laptop", publicKey: ${JSON.stringify(PUBLIC_KEY)} });
new nova.GpuVm("vm", { name: "trainer", gpuType: ${JSON.stringify(GPU_TYPE)}, gpuCount: 1, storageGb: 100, sshKeyId: key.id });
`,
  implementationFiles: ["dist/provider/nova/gpuVm.js", "dist/provider/nova/sshKey.js", "dist/provider/nova/client.js"],
  naiveDescription:
    `one client per VM: POST /vms with the node given (${CHEAPEST_4090}, no /search) and no label, then GET /vms/{id} after 1 s doubling to a 10 s cap until running with an IP; no read at the end (the poll returned the VM); 429/5xx retried 3× (Retry-After ≤ 30 s honoured)`,
  pollsWithoutEstimate: true,
  perMachineFollowUp: "PATCH /vms/:id",
  requestKinds: {
    "POST /vms": "create",
    "PATCH /vms/:id": "follow-up per machine: its label, the only marker of a VM's owner, which no create field sets (shared/api/nova.md §5 `instance_label`, §6)",
    "GET /vms": "list: the look-up of existing VMs before the creates and the status of all waiting VMs, one listing per tick shared by the process",
    "GET /search": "list: offers, one read shared by the creates",
    "GET /vms/:id": "status of one VM (only when a listing did not show it)",
  },
  statusListPath: "/vms",
  noFleetVariantBecause:
    "the floor is the API's: Nova has no batch create and no name on create, so each VM costs a POST and a label PATCH (128 for 64 VMs, over the 100/60 s budget, hence one wait for the next window); reads are shared (one /search, status polls by GET /vms listings)",
  setupNote:
    `Nova emulator: running 180 s after the create (creating → starting → running), account balance and quotas raised (balance $1 000 000, 10 000 VMs, $1 000 000/h), and every node of its catalog raised to ${GPUS_PER_NODE} GPUs in the bench process (the catalog has 32 GPUs in all, too few for 64 VMs); nova:requestsPerMinute = 100 (the provider's default is 60).`,
  startEmulator,
  config: (emu) => ({ "nova:apiKey": API_KEY, "nova:endpoint": emu.url, "nova:requestsPerMinute": "100" }),
  async prepareVms(stack: BenchStack, host: DynamicHost) {
    const key = stack.byName("key");
    const keyUrn = stack.urnOf("key", "bench-key");
    const checked = await host.check(keyUrn, {}, { ...key.inputs, name: "bench-key" });
    if (checked.failures.length) throw new Error(`bench: nova SshKey check failed: ${JSON.stringify(checked.failures)}`);
    const created = await host.create(keyUrn, checked.inputs);
    const vm = stack.byName("vm").inputs;
    return (name: string) => ({ ...vm, name, sshKeyId: created.id });
  },
  previewVmInputs: (stack, name) => ({ ...stack.byName("vm").inputs, name, sshKeyId: "5d0c5f3e-1b7a-4c1e-9f1e-2a4b6c8d0e1f" }),
  async naive(emu) {
    const sshKeyId = await uploadKey(emu.url);
    return naiveNovaPoller({ url: emu.url, apiKey: API_KEY, node: CHEAPEST_4090, gpuType: GPU_TYPE, sshKeyId });
  },
};
