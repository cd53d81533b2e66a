// Nova's documented templates (nova.md §7). Ids have changed before (an older example used 110),
// so any integer is accepted as is; these names are conveniences for the documented ones.

export const NOVA_TEMPLATES: Record<string, number> = {
  "ubuntu-22.04": 100,
  "ubuntu-24.04": 101,
  "stable-diffusion": 102,
  comfyui: 103,
  "linux-desktop": 104,
};

const squash = (s: string) => s.trim().toLowerCase().replace(/[\s_]+/g, "-");

/** The template id for an id or a friendly name; undefined for an unknown name. */
export function templateId(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  return NOVA_TEMPLATES[squash(value)];
}

/** Diff normalizer: a name and its id are the same template. */
export function templateKey(value: unknown): unknown {
  return templateId(value) ?? value;
}
