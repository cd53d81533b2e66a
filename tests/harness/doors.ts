import type { CapturedResource } from "./captureProviders";

// The two doors onto the same handlers: Pulumi's dynamic-provider host running the serialized
// shims, and the native plugin `pulumi-resource-gpucloud`. Scenario tests run through both.

export type Door = "dynamic" | "plugin";
export const doors: Door[] = ["dynamic", "plugin"];

/** `pulumi-nodejs:dynamic/gpcn:GpuVm` → `gpucloud:gpcn:GpuVm` */
export function nativeType(dynamicType: string): string {
  return dynamicType.replace(/^pulumi-nodejs:dynamic\//, "gpucloud:");
}

/** The handler registry's key of a type token of either door: `gpcn:GpuVm`. */
export function handlerKey(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "").replace(/^gpucloud:/, "");
}

/** What a generated SDK would register for the same program: native type tokens, no __provider. */
export function nativeResources(captured: CapturedResource[]): CapturedResource[] {
  return captured.map((r) => {
    const { __provider: _shim, ...inputs } = r.inputs;
    return { ...r, type: nativeType(r.type), inputs };
  });
}
