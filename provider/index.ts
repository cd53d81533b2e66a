import type { ResourceHandler } from "./core/resourceHandler";
import type { ConfigSource } from "./core/settings";

// The shim in sdk/ forwards every call here by type token. Handlers load on first use, so a
// check of one GPCN VM does not load the other clouds. A new cloud adds rows, nothing else.
const handlers: Record<string, () => ResourceHandler> = {
  "gpcn:GpuVm": () => require("./gpcn/gpuVm").gpcnGpuVm,
  "gpcn:SshKey": () => require("./gpcn/sshKey").gpcnSshKey,
  "nova:GpuVm": () => require("./nova/gpuVm").novaGpuVm,
  "nova:SshKey": () => require("./nova/sshKey").novaSshKey,
  "novita:GpuVm": () => require("./novita/gpuVm").novitaGpuVm,
  "fluence:GpuVm": () => require("./fluence/gpuVm").fluenceGpuVm,
  "fluence:SshKey": () => require("./fluence/sshKey").fluenceSshKey,
  "multicloud:GpuVm": () => require("./multicloud/gpuVm").multicloudGpuVm,
};

export type ProviderMethod = "check" | "diff" | "create" | "read" | "update" | "delete";

/** What the serialized shim passes as `this`: its type token and what configure stored. */
export interface ShimState {
  type: string;
  config?: ConfigSource;
}

export function handlerFor(type: string): ResourceHandler {
  const load = handlers[type];
  if (!load) throw new Error(`pulumi-gpucloud: unknown resource type ${type}; is the installed package older than the stack?`);
  return load();
}

export function invoke(shim: ShimState, method: ProviderMethod, args: unknown[]): Promise<unknown> {
  const handler = handlerFor(shim.type) as any;
  return handler[method](shim.config, ...args);
}

export const resourceTypes = Object.keys(handlers);
