import { fluencePlanOptions, gpcnDatacenters } from "../../emulator";
import type { Props } from "../harness/dynamicHost";
import { CLOUDS, liveMachines, PASSWORD, PUBLIC_KEY, startMultiCloudStack, type MultiCloudStack } from "./multiCloudStack";

// Issues 20 and 17: multicloud:GpuVm creates of one configuration at once, while the first cloud
// loses one create's answer (the k-th, seeded). Each must end on that cloud with its own machine:
// no fallback to the second offer (that would leave the lost one behind), no machine taken twice.

const KANSAS = gpcnDatacenters.find((d) => d.code === "KAN-1")!.id;
const H100_US_EAST = fluencePlanOptions.find((o) => o.kind === "vm" && o.gpuModel.model === "h100" && o.gpuCount === 1 && o.location === "us-east-2")!;

let stack: MultiCloudStack;
let sshKeyId: string;
beforeAll(async () => {
  stack = await startMultiCloudStack();
  sshKeyId = (await stack.host.create(stack.urnOf("key"), stack.byName("key").inputs)).id;
}, 60_000);
afterAll(() => stack?.close());

const offers: Record<(typeof CLOUDS)[number], () => Props> = {
  gpcn: () => ({ cloud: "gpcn", inputs: { datacenterId: KANSAS, seriesCode: "h100_series", gpuCount: 1, sshKeyId } }),
  nova: () => ({ cloud: "nova", inputs: { gpuType: "4090", node: "vm01", gpuCount: 1, storageGb: 100, authMethod: "password", password: PASSWORD } }),
  novita: () => ({ cloud: "novita", inputs: { productName: "RTX 4090", gpuCount: 1, rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" } }),
  fluence: () => ({ cloud: "fluence", inputs: { planId: H100_US_EAST.id, osImage: H100_US_EAST.osOptions[0], sshPublicKey: PUBLIC_KEY } }),
};
const loseAnswer = (cloud: (typeof CLOUDS)[number], skip: number) =>
  cloud === "fluence"
    ? stack.emulators.fluence.faults.set("loseDeployResponse", { count: 1, skip })
    : stack.emulators[cloud].faults.set("loseCreateResponse", { count: 1, skip });

const N = 3;
const SEED = Number(process.env.FAULT_MATRIX_SEED ?? 20);

test.each(CLOUDS.map((c, i) => [c, CLOUDS[(i + 1) % CLOUDS.length]] as const))(
  `${N} multicloud VMs of one configuration at once on %s (fallback %s), the k-th answer lost (seed ${SEED}): ${N} machines there, none on the fallback, none unrecorded`,
  async (first, second) => {
    const k = (SEED + CLOUDS.indexOf(first)) % N;
    const before = liveMachines(stack.emulators);
    loseAnswer(first, k);
    const names = Array.from({ length: N }, (_, i) => `mc-${first}-${i}`);
    const created = await Promise.all(names.map((name) => stack.checkAndCreate("vm", { ...stack.byName("vm").inputs, name, offers: [offers[first](), offers[second]()] })));
    const ids = created.map((c) => c.id);
    expect(created.map((c) => c.properties.cloud)).toEqual(Array(N).fill(first));
    expect(new Set(ids).size).toBe(N);
    const after = liveMachines(stack.emulators);
    expect(after[first].filter((id) => !before[first].includes(id)).sort()).toEqual([...ids].sort());
    expect(after[second]).toEqual(before[second]);
    expect(stack.emulators[first].stats().faultsFired[first === "fluence" ? "loseDeployResponse" : "loseCreateResponse"]).toBeGreaterThanOrEqual(1);
    await Promise.all(created.map((c) => stack.host.delete(c.id, stack.urnOf("vm"), c.properties)));
    expect(liveMachines(stack.emulators)[first]).toEqual(before[first]);
  },
);
