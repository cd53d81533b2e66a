/**
 * The emulated GPCN catalog: data centers, GPU series and their SKUs, OS images, the default
 * resource group. Ids are stable UUIDs derived from names, so they are the same on every start
 * and configs or tests may hard-code them.
 */

import { stableUuid } from "../core/idGenerator";

export interface Datacenter {
  id: string;
  name: string;
  code: string;
  region: string;
  countryAbbr: string;
  country: string;
}

export interface SkuSpecs {
  gpuDescription: string;
  vcpu: number;
  memoryGiB: number;
  storageGB: number;
}

export interface Sku {
  id: string;
  skuCode: string;
  description: string;
  gpuCount: number;
  specs: SkuSpecs;
  /** Internal ordering key ("cheapest first"); GPCN publishes no prices. */
  hourlyPriceUsd: number;
  /** Data center codes that carry this SKU. */
  datacenterCodes: string[];
}

export interface GpuSeries {
  id: string;
  name: string;
  code: string;
  description: string;
  skus: Sku[];
}

export interface OsImage {
  id: string;
  /** The value clients send as `imageName`. */
  name: string;
  /** What the VM object reports as `image` (longer than `name`, by design: clients must not diff on it). */
  displayName: string;
  defaultUsername: string;
}

export interface ResourceGroup {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
}

export const datacenters: Datacenter[] = [
  { code: "KAN-1", name: "Kansas City", region: "US Central", countryAbbr: "US", country: "United States" },
  { code: "ASH-1", name: "Ashburn", region: "US East", countryAbbr: "US", country: "United States" },
  { code: "AMS-1", name: "Amsterdam", region: "EU West", countryAbbr: "NL", country: "Netherlands" },
].map((dc) => ({ ...dc, id: stableUuid(`gpcn:datacenter:${dc.code}`) }));

interface SkuFamily {
  prefix: string;
  description: string;
  gpuDescription: string;
  perGpu: { vcpu: number; memoryGiB: number; storageGB: number; priceUsd: number };
  counts: number[];
  datacenterCodes: string[];
}

function skusOf(family: SkuFamily): Sku[] {
  return family.counts.map((n) => {
    const skuCode = `${family.prefix}-${n}x`;
    return {
      id: stableUuid(`gpcn:sku:${skuCode}`),
      skuCode,
      description: `${n}x ${family.description}`,
      gpuCount: n,
      specs: {
        gpuDescription: `${n}x ${family.gpuDescription}`,
        vcpu: family.perGpu.vcpu * n,
        memoryGiB: family.perGpu.memoryGiB * n,
        storageGB: family.perGpu.storageGB * n,
      },
      hourlyPriceUsd: Math.round(family.perGpu.priceUsd * n * 100) / 100,
      datacenterCodes: family.datacenterCodes,
    };
  });
}

function series(code: string, name: string, description: string, families: SkuFamily[]): GpuSeries {
  return { id: stableUuid(`gpcn:series:${code}`), code, name, description, skus: families.flatMap(skusOf) };
}

export const gpuSeries: GpuSeries[] = [
  series("h100_series", "H100 Series", "NVIDIA H100 80GB for large-scale training and inference", [
    {
      prefix: "h100-pcie-80gb",
      description: "NVIDIA H100 PCIe 80GB",
      gpuDescription: "NVIDIA H100 PCIe 80GB",
      perGpu: { vcpu: 24, memoryGiB: 180, storageGB: 1000, priceUsd: 2.29 },
      counts: [1, 2, 4, 8],
      datacenterCodes: ["KAN-1", "ASH-1"],
    },
    {
      prefix: "h100-sxm-80gb",
      description: "NVIDIA H100 SXM5 80GB",
      gpuDescription: "NVIDIA H100 SXM5 80GB",
      perGpu: { vcpu: 28, memoryGiB: 200, storageGB: 1400, priceUsd: 2.99 },
      counts: [1, 2, 4, 8],
      datacenterCodes: ["KAN-1", "AMS-1"],
    },
  ]),
  series("a100_series", "A100 Series", "NVIDIA A100 for training and HPC", [
    {
      prefix: "a100-pcie-40gb",
      description: "NVIDIA A100 PCIe 40GB",
      gpuDescription: "NVIDIA A100 PCIe 40GB",
      perGpu: { vcpu: 12, memoryGiB: 85, storageGB: 500, priceUsd: 1.29 },
      counts: [1, 2, 4, 8],
      datacenterCodes: ["KAN-1"],
    },
    {
      prefix: "a100-sxm-80gb",
      description: "NVIDIA A100 SXM4 80GB",
      gpuDescription: "NVIDIA A100 SXM4 80GB",
      perGpu: { vcpu: 16, memoryGiB: 120, storageGB: 800, priceUsd: 1.79 },
      counts: [1, 2, 4, 8],
      datacenterCodes: ["KAN-1", "ASH-1"],
    },
  ]),
  series("rtx_pro_6000_series", "RTX PRO 6000 Series", "NVIDIA RTX PRO 6000 Blackwell 96GB for inference and graphics", [
    {
      prefix: "rtx-pro-6000-96gb",
      description: "NVIDIA RTX PRO 6000 Blackwell 96GB",
      gpuDescription: "NVIDIA RTX PRO 6000 Blackwell 96GB",
      perGpu: { vcpu: 16, memoryGiB: 128, storageGB: 1000, priceUsd: 1.69 },
      counts: [1, 2, 4],
      datacenterCodes: ["KAN-1", "AMS-1"],
    },
  ]),
];

export const osImages: OsImage[] = [
  { name: "ubuntu-22.04", displayName: "Ubuntu 22.04 LTS (GPU)", defaultUsername: "ubuntu" },
  { name: "ubuntu-24.04", displayName: "Ubuntu 24.04 LTS (GPU)", defaultUsername: "ubuntu" },
].map((img) => ({ ...img, id: stableUuid(`gpcn:image:${img.name}`) }));

export const DEFAULT_IMAGE_NAME = "ubuntu-24.04";

export const defaultResourceGroup: ResourceGroup = {
  id: stableUuid("gpcn:resource-group:default"),
  name: "Default",
  description: "Default resource group",
  isDefault: true,
};

export const resourceGroups: ResourceGroup[] = [defaultResourceGroup];

export const findResourceGroup = (id: string) => resourceGroups.find((g) => g.id === id);

/** The account (entity) every API key in the emulator belongs to. */
export const ENTITY_ID = stableUuid("gpcn:entity");

export const findDatacenterById = (id: string) => datacenters.find((dc) => dc.id === id);
export const findDatacenterByCode = (code: string) => datacenters.find((dc) => dc.code === code);
export const findSeriesById = (id: string) => gpuSeries.find((s) => s.id === id);
export const findImageByName = (name: string) => osImages.find((img) => img.name === name);
export const findImageById = (id: string) => osImages.find((img) => img.id === id);

/** SKUs of a series with that GPU count carried at a data center, cheapest first. */
export function skusAt(seriesEntry: GpuSeries, gpuCount: number, datacenterCode: string): Sku[] {
  return seriesEntry.skus
    .filter((sku) => sku.gpuCount === gpuCount && sku.datacenterCodes.includes(datacenterCode))
    .sort((a, b) => a.hourlyPriceUsd - b.hourlyPriceUsd);
}
