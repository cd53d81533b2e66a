import { novitaProducts, startNovitaEmulator } from "../emulator";
import { operation } from "../emulator/novita/operations";
import type { BenchCloud, BenchEmulator, BenchEmulatorOptions } from "./clouds";
import { benchEmulatorBase } from "./clouds";
import { naiveNovitaPoller } from "./naiveNovitaPoller";

const API_KEY = "novita_bench_key_3b7e9c1a5d24";
const IMAGE = "docker.io/pytorch/pytorch:latest";
/** What our provider resolves "RTX 4090" ×1 on demand to (the cheapest product); the naive client is given it. */
const CHEAPEST_4090 = novitaProducts
  .filter((p) => p.name.startsWith("RTX 4090") && p.billingMethods.includes("onDemand") && p.inventoryState !== "none")
  .sort((a, b) => a.price - b.price)[0].id;

/** Emulated seconds a create spends before `pulling` (toCreate, creating), from the emulator's own operation table. */
function secondsBeforePulling(): number {
  const probe = operation("create", 0, { provisioningSeconds: 100, resetSeconds: 0, deletionSeconds: 0 });
  return probe.steps.reduce((sum, s) => sum + s.ms, 0) / 1000 - 100;
}

async function startEmulator(o: BenchEmulatorOptions): Promise<BenchEmulator> {
  const before = secondsBeforePulling();
  // The instance runs provisioningSeconds after the create: toCreate + creating + pulling.
  const pullingSeconds = o.provisioningSeconds - before;
  const readyAfterMs = (o.provisioningSeconds * 1000) / o.timeScale;
  // Novita's instance view has no ready time and created_at is in whole seconds: the wall time of
  // each create is taken when the emulator logs the answered POST (the handler ran just before),
  // and its completion is that plus the emulated provisioning time ÷ the time scale.
  const createdAt = new Map<string, number>();
  let emu: Awaited<ReturnType<typeof startNovitaEmulator>> | undefined;
  const onLog = (line: string) => {
    if (!emu || !/ POST \S*\/gpu\/instance\/create 200 /.test(line)) return;
    const now = Date.now();
    for (const i of emu.instances()) if (!createdAt.has(i.id)) createdAt.set(i.id, now);
  };
  emu = await startNovitaEmulator({
    apiKeys: [API_KEY],
    timeScale: o.timeScale,
    provisioningSeconds: pullingSeconds,
    rateLimit: o.rateLimit,
    stockPerProduct: 10_000,
    seed: "bench",
    logger: onLog,
  });
  const e = emu;
  return {
    ...benchEmulatorBase(e),
    completedAt: (vmId) => {
      const at = createdAt.get(vmId);
      const running = e.instances().find((i) => i.id === vmId)?.status === "running";
      return at !== undefined && running ? at + readyAfterMs : null;
    },
  };
}

export const novitaBench: BenchCloud = {
  name: "novita",
  apiKey: API_KEY,
  envPrefix: "NOVITA",
  vmType: "novita:GpuVm",
  // Novita has no SSH key resource (keys are not part of its GPU API).
  resourceNames: { "novita:GpuVm": "vm" },
  program: `
const { novita } = require("pulumi-gpucloud");
new novita.GpuVm("vm", { name: "trainer", productName: "RTX 4090", gpuCount: 1, rootfsSize: 60, imageUrl: ${JSON.stringify(IMAGE)}, ports: [{ port: 8080, type: "http" }], envs: [{ key: "MODE", value: "train" }] });
`,
  implementationFiles: ["dist/provider/novita/gpuVm.js", "dist/provider/novita/client.js", "dist/provider/novita/products.js"],
  naiveDescription:
    `one client per VM: POST /gpu/instance/create with the product given (${CHEAPEST_4090}, no /products look-up), then GET /gpu/instance?instanceId= after 1 s doubling to a 10 s cap until running; no read at the end (the poll returned the instance); 429/5xx retried 3× (Retry-After ≤ 30 s honoured)`,
  pollsWithoutEstimate: true,
  perMachineFollowUp: "GET /gpu-instance/openapi/v1/gpu/instance",
  requestKinds: {
    "POST /gpu-instance/openapi/v1/gpu/instance/create": "create",
    "GET /gpu-instance/openapi/v1/gpu/instance": "follow-up per machine: its detail once running, as list items drop connect*/network (shared/api/novita.md §5): the SSH command and password",
    "GET /gpu-instance/openapi/v1/gpu/instances": "list: the look-up of existing instances before the creates and the status of all waiting instances, one listing per tick shared by the process",
    "GET /gpu-instance/openapi/v1/products": "list: products, one read shared by the creates",
  },
  statusListPath: "/gpu/instances",
  noFleetVariantBecause:
    "the floor is the API's: the instance list lacks network and connection details, so each instance costs its create and one GET once it runs (128 for 64, over the 100/60 s budget, hence one wait for the next window); /products and status polls are shared",
  setupNote: `Novita emulator: running 180 s after the create (toCreate + creating ${secondsBeforePulling()} s, then pulling ${180 - secondsBeforePulling()} s), stock 10 000 per product; novita:requestsPerMinute = 100 (the provider's default).`,
  startEmulator,
  config: (emu) => ({ "novita:apiKey": API_KEY, "novita:endpoint": emu.url, "novita:requestsPerMinute": "100" }),
  async prepareVms(stack) {
    const vm = stack.byName("vm").inputs;
    return (name: string) => ({ ...vm, name });
  },
  previewVmInputs: (stack, name) => ({ ...stack.byName("vm").inputs, name }),
  async naive(emu) {
    return naiveNovitaPoller({ url: emu.url, apiKey: API_KEY, productId: CHEAPEST_4090, imageUrl: IMAGE });
  },
};
