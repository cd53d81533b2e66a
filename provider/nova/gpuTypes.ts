// GPU types are opaque strings copied from /search (nova.md §11). The docs spell the RTX PRO 6000
// `6000pro`, a real client sees `pro6000`; marketing names ("RTX 5090") are accepted as aliases.
// `gpuTypeKey` gives every spelling of one GPU the same key, for matching and for diffs.

const ALIASES: Record<string, string> = {
  rtx5090: "5090",
  geforcertx5090: "5090",
  rtx4090: "4090",
  geforcertx4090: "4090",
  pro6000: "6000pro",
  rtxpro6000: "6000pro",
  rtx6000pro: "6000pro",
  "6000": "6000pro",
};

export function gpuTypeKey(value: unknown): unknown {
  if (typeof value !== "string" && typeof value !== "number") return value;
  const squashed = String(value).toLowerCase().replace(/[\s_-]+/g, "");
  return ALIASES[squashed] ?? squashed;
}

export function sameGpuType(a: string, b: string): boolean {
  return gpuTypeKey(a) === gpuTypeKey(b);
}
