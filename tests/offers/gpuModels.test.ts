import { gpuModels, memoryInText, normalizeGpu, spellingKey } from "../../provider/offers/gpuModels";
import { gpcnGpuSeries, fluencePlanOptions, novaNodes, novitaProducts } from "../../emulator";

describe("GPU name table", () => {
  test.each([
    ["h100_series", "H100"],
    ["nvidia-h100-series", "H100"],
    ["H100 Series", "H100"],
    ["NVIDIA H100 SXM5 80GB", "H100"],
    ["H100 SXM 80GB", "H100"],
    ["h100", "H100"],
    ["h200", "H200"],
    ["H200 141GB", "H200"],
    ["a100_series", "A100"],
    ["A100 SXM 80GB", "A100"],
    ["RTX A6000", "A6000"],
    ["4090", "RTX 4090"],
    ["RTX 4090 24GB", "RTX 4090"],
    ["rtx4090", "RTX 4090"],
    ["GeForce RTX 4090", "RTX 4090"],
    ["5090", "RTX 5090"],
    ["RTX 5090", "RTX 5090"],
    ["6000pro", "RTX PRO 6000"],
    ["pro6000", "RTX PRO 6000"],
    ["rtx_pro_6000_series", "RTX PRO 6000"],
    ["RTX PRO 6000 Series", "RTX PRO 6000"],
  ])("%s → %s", (spelling, canonical) => {
    expect(normalizeGpu(spelling)).toBe(canonical);
  });

  test.each(["6000", "h10", "rtx", "", "V100", "nvidia", "series", "RTX 6000 Ada"])("unknown or ambiguous %j → undefined, never a guess", (text) => {
    expect(normalizeGpu(text)).toBeUndefined();
  });

  test("non-strings map to nothing", () => {
    expect(normalizeGpu(undefined)).toBeUndefined();
    expect(normalizeGpu({})).toBeUndefined();
  });

  test("no spelling belongs to two GPUs", () => {
    const owner = new Map<string, string>();
    for (const m of gpuModels) {
      for (const s of [m.name, ...Object.values(m.spellings).flat()]) {
        const key = spellingKey(s);
        expect([key, owner.get(key) ?? m.name]).toEqual([key, m.name]);
        owner.set(key, m.name);
      }
    }
  });

  test("every GPU each emulator offers has a canonical name", () => {
    const names = [
      ...gpcnGpuSeries.flatMap((s) => [s.code, s.name, ...s.skus.map((k) => k.specs.gpuDescription.replace(/^\d+x /, ""))]),
      ...novaNodes.map((n) => n.gpuType),
      ...novitaProducts.map((p) => p.name),
      ...fluencePlanOptions.map((o) => o.gpuModel.model),
    ];
    expect(names.filter((n) => normalizeGpu(n) === undefined)).toEqual([]);
  });

  test("memory stated in a name is read; none stated → undefined", () => {
    expect(memoryInText("RTX 4090 24GB")).toBe(24);
    expect(memoryInText("141Gi")).toBe(141);
    expect(memoryInText("a100-pcie-40gb-1x")).toBe(40);
    expect(memoryInText("h100")).toBeUndefined();
  });
});
