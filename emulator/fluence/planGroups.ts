/** GET /gpu/plans/{vms|baremetal}: options grouped by model and count, with aggregates computed from the options. */

import { CURRENCY, type InstanceKind, type PlanOption, UPFRONT_HOURS } from "./catalog";

const min = (xs: number[]) => Math.min(...xs);
const unique = (xs: string[]) => [...new Set(xs)];

export function serializeOption(o: PlanOption) {
  return {
    id: o.id,
    location: o.location,
    provider: o.provider,
    vcpu: { count: o.vcpu },
    memory: { count: o.memoryGi, units: "Gi" },
    storage: { count: o.storageGi, units: "Gi" },
    deployment_type: o.kind === "vm" ? "VM" : "BAREMETAL",
    pricing: { hour: o.pricePerHour, upfront_hours: UPFRONT_HOURS, currency: CURRENCY },
    nvlink: o.nvlink,
    os_options: [...o.osOptions],
  };
}

/** Only offered options appear; every aggregate is recomputed from them. */
export function planGroups(options: PlanOption[], kind: InstanceKind) {
  const mine = options.filter((o) => o.kind === kind);
  const models = unique(mine.map((o) => o.gpuModel.model));
  return models.map((model) => {
    const ofModel = mine.filter((o) => o.gpuModel.model === model);
    const counts = [...new Set(ofModel.map((o) => o.gpuCount))].sort((a, b) => a - b);
    return {
      gpu_model: { ...ofModel[0].gpuModel },
      minimum_price: min(ofModel.map((o) => o.pricePerHour)),
      availability_by_number: counts.map((gpuCount) => {
        const opts = ofModel.filter((o) => o.gpuCount === gpuCount);
        return {
          gpu_count: gpuCount,
          minimum_price: min(opts.map((o) => o.pricePerHour)),
          options_available_total: opts.length,
          providers_available_total: unique(opts.map((o) => o.provider)).length,
          data_center_available_total: unique(opts.map((o) => o.location)).length,
          locations: unique(opts.map((o) => o.location)),
          providers: unique(opts.map((o) => o.provider)),
          options: opts.map(serializeOption),
        };
      }),
    };
  });
}
