import { startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { listFluenceOffers } from "../../provider/fluence/offerSource";
import { listGpcnOffers } from "../../provider/gpcn/offerSource";
import { handlerFor } from "../../provider/index";
import { listNovaOffers } from "../../provider/nova/offerSource";
import { listNovitaOffers } from "../../provider/novita/offerSource";
import type { NormalizedOffer } from "../../provider/offers/offer";
import { configSource, KEYS, PASSWORD, PUBLIC_KEY, startEmulators, type Emulators } from "../multicloud/multiCloudStack";

// Each cloud's offer source against its emulator, called directly. "Exactly the inputs that
// cloud's GpuVm needs" is checked by that GpuVm's own check, with only the per-VM extras added.

let e: Emulators;
beforeAll(async () => {
  e = await startEmulators();
});
afterAll(() => e?.close());

const config = () => configSource(e.config);
const q = (gpu: string, gpuCount: number) => ({ gpu, gpuCount });

const extras: Record<string, Record<string, unknown>> = {
  gpcn: { sshKeyId: "key-1" },
  nova: { storageGb: 100, authMethod: "password", password: PASSWORD },
  novita: { rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" },
  fluence: { osImage: "ubuntu22.04", sshPublicKey: PUBLIC_KEY },
};

async function expectAcceptedByGpuVm(offers: NormalizedOffer[]) {
  expect(offers.length).toBeGreaterThan(0);
  for (const o of offers) {
    const res = await handlerFor(`${o.cloud}:GpuVm`).check(undefined, {}, { name: "trainer", ...extras[o.cloud], ...o.inputs });
    expect([o.inputs, res.failures ?? []]).toEqual([o.inputs, []]);
  }
}

test("GPCN: one offer per stocked SKU, inputs {datacenterId, seriesId, gpuCount, skuCode}, no price", async () => {
  const offers = await listGpcnOffers(config(), q("H100", 1));
  const kan = offers.filter((o) => o.gpu === "H100" && o.gpuCount === 1 && o.location === "KAN-1");
  expect(kan.map((o) => o.inputs.skuCode).sort()).toEqual(["h100-pcie-80gb-1x", "h100-sxm-80gb-1x"]);
  for (const o of offers) {
    expect(Object.keys(o.inputs).sort()).toEqual(["datacenterId", "gpuCount", "seriesId", "skuCode"]);
    expect(o.pricePerHour).toBeUndefined();
  }
  expect(offers.find((o) => o.inputs.skuCode === "a100-pcie-40gb-1x")?.gpuMemoryGb).toBe(40);
  expect(new Set(offers.map((o) => o.gpu))).toEqual(new Set(["H100", "A100", "RTX PRO 6000"]));
  await expectAcceptedByGpuVm(offers.slice(0, 3));
});

test("GPCN: depleted stock gives no offers", async () => {
  const empty: GpcnEmulator = await startGpcnEmulator({ apiKeys: [KEYS.gpcn], stockPerOffer: 0 });
  try {
    expect(await listGpcnOffers(configSource({ "gpcn:apiKey": KEYS.gpcn, "gpcn:endpoint": empty.url }), q("H100", 1))).toEqual([]);
  } finally {
    await empty.close();
  }
});

test("Nova: free /search offers with a node, price for the whole VM, readable without a key", async () => {
  const offers = await listNovaOffers(configSource({ "nova:endpoint": e.config["nova:endpoint"] }), q("RTX 5090", 8));
  const vm03 = offers.find((o) => o.inputs.node === "vm03" && o.gpuCount === 8);
  expect(vm03).toEqual({
    cloud: "nova",
    gpu: "RTX 5090",
    gpuMemoryGb: 32,
    gpuCount: 8,
    location: "vm03 (Helsinki, FI)",
    pricePerHour: 7.12,
    currency: "USD",
    inputs: { gpuType: "5090", gpuCount: 8, node: "vm03" },
  });
  // vm02 holds 4 GPUs: Nova lists no ×8 offer there.
  expect(offers.filter((o) => o.inputs.node === "vm02").map((o) => o.gpuCount).sort()).toEqual([1, 2, 4]);
  await expectAcceptedByGpuVm(offers.slice(0, 3));
});

test("Novita: deployable products, one offer per cluster with its id; sold-out products left out", async () => {
  const offers = await listNovitaOffers(config(), q("RTX 4090", 2));
  const rtx = offers.filter((o) => o.gpu === "RTX 4090").map((o) => [o.inputs.productId, o.inputs.clusterId, o.pricePerHour]);
  expect(rtx).toEqual(
    expect.arrayContaining([
      ["4090.16c62g", "as-sgp-2", 0.7],
      ["4090.16c62g", "us-ca-06", 0.7],
      ["4090.8c31g", "eu-de-01", 0.78],
    ]),
  );
  expect(offers.some((o) => o.gpu === "H200")).toBe(false); // inventory "none"
  for (const o of offers) expect(Object.keys(o.inputs).sort()).toEqual(["clusterId", "gpuCount", "productId"]);
  await expectAcceptedByGpuVm(offers);
});

test("Fluence: every VM option, inputs {planId}, USDC prices and the option's OS images", async () => {
  const offers = await listFluenceOffers(config(), q("H100", 1));
  const h100 = offers.filter((o) => o.gpu === "H100" && o.gpuCount === 1);
  expect(h100.map((o) => [o.location, o.pricePerHour, o.currency]).sort()).toEqual([
    ["dulles-usa-1", 2.45, "USDC"],
    ["eu-north-1", 2.1, "USDC"],
    ["us-east-2", 1.95, "USDC"],
  ]);
  expect(offers.every((o) => Object.keys(o.inputs).join() === "planId" && (o.osImages ?? []).length > 0)).toBe(true);
  expect(offers.find((o) => o.gpu === "H200")?.gpuMemoryGb).toBe(141);
  // Bare-metal options are not VMs.
  expect(offers.some((o) => o.gpu === "H100" && o.gpuCount === 8)).toBe(false);
  await expectAcceptedByGpuVm(offers.slice(0, 3));
});
