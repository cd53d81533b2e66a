import type { CloudSpec, ConfigSource } from "../core/settings";

/** One way to get the GPUs asked for, on one cloud, in one place, now. */
export interface NormalizedOffer {
  cloud: string;
  /** Canonical GPU name from gpuModels.ts. */
  gpu: string;
  gpuMemoryGb?: number;
  gpuCount: number;
  /** Where, in the cloud's words: datacenter code, node, cluster or location. */
  location: string;
  /** For all GPUs of the offer; absent when the cloud publishes no price (GPCN). */
  pricePerHour?: number;
  currency?: string;
  /** OS images this offer can run, for clouds that restrict them per offer (Fluence). */
  osImages?: string[];
  /** Exactly the inputs that cloud's GpuVm needs for this offer (plus the extras every VM needs). */
  inputs: Record<string, unknown>;
}

export interface OfferQuery {
  /** Any spelling the GPU table knows: "H100", "h100_series", "4090", "RTX 4090 24GB". */
  gpu: string;
  gpuCount: number;
  maxPricePerHour?: number;
  /** Only these clouds (default: every configured cloud). */
  clouds?: string[];
  /** Only offers whose location contains one of these (words, any case): "KAN-1", "us", "Helsinki". */
  regions?: string[];
}

/** One cloud's capacity source, turned into normalized offers. */
export interface OfferSource {
  cloud: string;
  spec: CloudSpec;
  /** Readable without an API key (Nova's /search and /pricing are public). */
  keyless: boolean;
  list(config: ConfigSource | undefined, query: OfferQuery): Promise<NormalizedOffer[]>;
  /** A short description of an offer given only as GpuVm inputs, for messages: "5090×8 on vm02". */
  describe(inputs: Record<string, unknown>): string;
}
