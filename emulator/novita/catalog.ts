/**
 * Novita's clusters and GPU products as the emulator offers them (shapes of shared/api/novita.md
 * §10; ids, names and prices illustrative). Prices are integers in 1/100 000 USD per GPU-hour and,
 * as the live API does, are sent as strings.
 */

export interface Cluster {
  id: string;
  name: string;
  supportNetworkStorage: boolean;
  supportInstanceNetwork: boolean;
}

export interface Product {
  id: string;
  name: string;
  cpuPerGpu: number;
  memoryPerGpu: number;
  diskPerGpu: number;
  minRootFS: number;
  maxRootFS: number;
  /** Cluster ids where it can run. */
  clusters: string[];
  price: number;
  spotPrice: number;
  monthlyPrice: { price: number; month: number }[];
  billingMethods: ("onDemand" | "monthly" | "spot")[];
  inventoryState: "none" | "low" | "normal" | "high";
}

export const clusters: Cluster[] = [
  { id: "as-sgp-2", name: "AS-SGP-02 (Singapore)", supportNetworkStorage: true, supportInstanceNetwork: true },
  { id: "us-ca-06", name: "US-CA-06 (California)", supportNetworkStorage: true, supportInstanceNetwork: false },
  { id: "eu-de-01", name: "EU-DE-01 (Frankfurt)", supportNetworkStorage: false, supportInstanceNetwork: false },
];

const all = ["onDemand", "monthly", "spot"] as Product["billingMethods"];

export const products: Product[] = [
  { id: "4090.16c62g", name: "RTX 4090 24GB", cpuPerGpu: 16, memoryPerGpu: 62, diskPerGpu: 100, minRootFS: 10, maxRootFS: 1024, clusters: ["as-sgp-2", "us-ca-06"], price: 35000, spotPrice: 18000, monthlyPrice: [{ price: 22000000, month: 1 }], billingMethods: all, inventoryState: "high" },
  { id: "4090.8c31g", name: "RTX 4090 24GB", cpuPerGpu: 8, memoryPerGpu: 31, diskPerGpu: 50, minRootFS: 10, maxRootFS: 200, clusters: ["eu-de-01"], price: 39000, spotPrice: 20000, monthlyPrice: [], billingMethods: ["onDemand", "spot"], inventoryState: "low" },
  { id: "A100-80GB.14c240g", name: "A100 SXM 80GB", cpuPerGpu: 14, memoryPerGpu: 240, diskPerGpu: 200, minRootFS: 10, maxRootFS: 6144, clusters: ["as-sgp-2", "us-ca-06", "eu-de-01"], price: 160000, spotPrice: 90000, monthlyPrice: [{ price: 100000000, month: 1 }], billingMethods: all, inventoryState: "normal" },
  { id: "H100-80GB.16c200g", name: "H100 SXM 80GB", cpuPerGpu: 16, memoryPerGpu: 200, diskPerGpu: 200, minRootFS: 10, maxRootFS: 6144, clusters: ["us-ca-06"], price: 250000, spotPrice: 150000, monthlyPrice: [], billingMethods: ["onDemand", "spot"], inventoryState: "normal" },
  { id: "H200-141GB.16c240g", name: "H200 141GB", cpuPerGpu: 16, memoryPerGpu: 240, diskPerGpu: 400, minRootFS: 10, maxRootFS: 6144, clusters: ["us-ca-06"], price: 390000, spotPrice: 0, monthlyPrice: [], billingMethods: ["onDemand"], inventoryState: "none" },
];

export const findProduct = (id: string) => products.find((p) => p.id === id);
export const findCluster = (id: string) => clusters.find((c) => c.id === id);
export const deployable = (p: Product) => p.inventoryState !== "none";

export function serializeProduct(p: Product) {
  return {
    id: p.id,
    name: p.name,
    cpuPerGpu: p.cpuPerGpu,
    memoryPerGpu: p.memoryPerGpu,
    diskPerGpu: p.diskPerGpu,
    availableDeploy: deployable(p),
    minRootFS: p.minRootFS,
    maxRootFS: p.maxRootFS,
    minLocalStorage: 0,
    maxLocalStorage: 0,
    regions: p.clusters.map((id) => findCluster(id)?.name ?? id),
    price: String(p.price),
    spotPrice: String(p.spotPrice),
    monthlyPrice: p.monthlyPrice.map((m) => ({ price: String(m.price), month: m.month })),
    billingMethods: p.billingMethods,
    inventoryState: p.inventoryState,
  };
}

export function serializeCluster(c: Cluster) {
  const gpuTypes = [...new Set(products.filter((p) => p.clusters.includes(c.id)).map((p) => p.name))];
  return { id: c.id, name: c.name, availableGpuType: gpuTypes, supportNetworkStorage: c.supportNetworkStorage, supportInstanceNetwork: c.supportInstanceNetwork };
}
