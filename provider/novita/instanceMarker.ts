import { createHash } from "node:crypto";
import { stableJson } from "../core/diffRules";
import { GpuVmInputs } from "./inputs";
import { NovitaInstance } from "./schemas";

// Novita has no idempotency key and no tags, and it does not echo tools, imageAuth, networkId or
// minCudaVersion. The name plus the immutable inputs are hashed into one environment variable of
// the container, so a re-run adopts exactly this resource's instance and never the one it replaces.

export const MARKER_ENV = "PULUMI_GPUCLOUD_MARKER";

export function instanceMarker(inputs: GpuVmInputs): string {
  const immutable = {
    name: inputs.name,
    product: inputs.productId ?? inputs.productName,
    gpuCount: inputs.gpuCount,
    clusterId: inputs.clusterId,
    networkId: inputs.networkId,
    kind: inputs.kind,
    billingMode: inputs.billingMode,
    month: inputs.month,
    tools: inputs.tools,
    minCudaVersion: inputs.minCudaVersion,
    // A hash of a hash: the registry password never leaves the provider, even hashed alone.
    imageAuth: inputs.imageAuth && createHash("sha256").update(`imageAuth:${inputs.imageAuth}`).digest("hex"),
  };
  return createHash("sha256").update(stableJson(immutable)).digest("hex").slice(0, 24);
}

/** The user's envs plus the marker; the marker is never shown back as a declared env. */
export function envsWithMarker(envs: GpuVmInputs["envs"], marker: string): Array<{ key: string; value: string }> {
  return [...(envs ?? []).filter((e) => e.key !== MARKER_ENV), { key: MARKER_ENV, value: marker }];
}

/**
 * Whether an existing instance is this resource's: by the marker when Novita shows the envs,
 * else by every immutable field it does show.
 */
export function isThisResourcesInstance(instance: NovitaInstance, inputs: GpuVmInputs, productId: string | undefined, marker: string): boolean {
  // A disk larger than declared is the instance being replaced by a shrink (the marker cannot tell:
  // disks grow in place after create). Adopting it would let Pulumi delete the machine it just "made".
  if (instance.rootfsSize !== undefined && instance.rootfsSize > inputs.rootfsSize) return false;
  const found = instance.envs.find((e) => e.key === MARKER_ENV);
  if (found) return found.value === marker;
  if (instance.envs.length) return false; // envs shown, no marker: made by someone else
  if (productId && instance.productId && instance.productId !== productId) return false;
  if (instance.gpuCount !== undefined && instance.gpuCount !== inputs.gpuCount) return false;
  if (inputs.clusterId && instance.clusterId && instance.clusterId !== inputs.clusterId) return false;
  if (instance.kind && instance.kind !== inputs.kind) return false;
  if (instance.billingMode && instance.billingMode !== inputs.billingMode) return false;
  return true;
}
