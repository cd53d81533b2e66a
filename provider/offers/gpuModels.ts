// The one table of GPU names across clouds. Each cloud spells a GPU its own way (GPCN series
// codes, Nova's bare numbers, Novita's product names, Fluence's model ids); offers are compared
// only through the canonical name. A spelling not listed here maps to nothing: never a guess.

export interface GpuModel {
  /** Canonical name shown to users and accepted by getOffers / policies. */
  name: string;
  /** Memory per GPU of the usual variant; an offer that states its own wins. */
  memoryGb: number;
  /** Every spelling each cloud uses (compared after `spellingKey`). */
  spellings: { gpcn?: string[]; nova?: string[]; novita?: string[]; fluence?: string[]; other?: string[] };
}

export const gpuModels: GpuModel[] = [
  {
    name: "H100",
    memoryGb: 80,
    spellings: { gpcn: ["h100_series", "H100 Series", "nvidia-h100-series", "NVIDIA H100 PCIe 80GB", "NVIDIA H100 SXM5 80GB"], novita: ["H100 SXM 80GB"], fluence: ["h100"], other: ["H100 NVL"] },
  },
  { name: "H200", memoryGb: 141, spellings: { novita: ["H200 141GB"], fluence: ["h200"], other: ["nvidia-h200-series"] } },
  { name: "B200", memoryGb: 180, spellings: { other: ["b200", "NVIDIA B200"] } },
  {
    name: "A100",
    memoryGb: 80,
    spellings: { gpcn: ["a100_series", "A100 Series", "nvidia-a100-series", "NVIDIA A100 PCIe 40GB", "NVIDIA A100 SXM4 80GB"], novita: ["A100 SXM 80GB"], fluence: ["a100"] },
  },
  { name: "A6000", memoryGb: 48, spellings: { other: ["RTX A6000", "a6000", "nvidia-rtx-a6000"] } },
  { name: "L40S", memoryGb: 48, spellings: { other: ["l40s", "NVIDIA L40S"] } },
  { name: "RTX 4090", memoryGb: 24, spellings: { nova: ["4090", "rtx4090", "GeForce RTX 4090"], novita: ["RTX 4090 24GB"], fluence: ["rtx4090"] } },
  { name: "RTX 5090", memoryGb: 32, spellings: { nova: ["5090", "rtx5090", "GeForce RTX 5090"], other: ["RTX 5090 32GB"] } },
  {
    name: "RTX PRO 6000",
    memoryGb: 96,
    spellings: {
      gpcn: ["rtx_pro_6000_series", "RTX PRO 6000 Series", "nvidia-rtx-pro-6000-series", "NVIDIA RTX PRO 6000 Blackwell 96GB"],
      nova: ["6000pro", "pro6000", "rtxpro6000"],
    },
  },
];

// Words that never tell two GPUs apart: vendor, form factor, "series", a memory size.
const NOISE = /\b(nvidia|geforce|series|sxm\d?|pcie|blackwell|\d+\s*(gb|gib|gi))\b/g;

/** "NVIDIA H100 SXM5 80GB" → "h100"; "rtx_pro_6000_series" → "rtxpro6000". */
export function spellingKey(text: string): string {
  return text.toLowerCase().replace(/[_-]+/g, " ").replace(NOISE, " ").replace(/[^a-z0-9]+/g, "");
}

const byKey = new Map<string, GpuModel>();
for (const model of gpuModels) {
  for (const spelling of [model.name, ...Object.values(model.spellings).flat()]) byKey.set(spellingKey(spelling), model);
}

/** The canonical name for any cloud's spelling, or undefined when the table does not know it. */
export function normalizeGpu(text: unknown): string | undefined {
  if (typeof text !== "string" && typeof text !== "number") return undefined;
  const key = spellingKey(String(text));
  return key ? byKey.get(key)?.name : undefined;
}

export function gpuModel(name: string): GpuModel | undefined {
  const canonical = normalizeGpu(name);
  return gpuModels.find((m) => m.name === canonical);
}

/** "RTX 4090 24GB" → 24, "141Gi" → 141: the memory an offer states, if it does. */
export function memoryInText(text: string | undefined): number | undefined {
  const m = /(\d+)\s*(gb|gib|gi)\b/i.exec(text ?? "");
  return m ? Number(m[1]) : undefined;
}

export const knownGpuNames = () => gpuModels.map((m) => m.name);
