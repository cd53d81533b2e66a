import { clouds } from "./clouds";
import type { ResourceHandler } from "./core/resourceHandler";
import type { ConfigSource } from "./core/settings";
import { guardOutputPipes } from "./core/outputPipes";

// The shim in sdk/ forwards every call here by type token. The table is derived from the cloud
// registry (provider/clouds.ts); handlers load on first use, so a check of one GPCN VM does not
// load the other clouds.

const cloudResources: Array<[string, () => ResourceHandler]> = clouds.flatMap((cloud) =>
  Object.entries(cloud.resources).map(([resource, load]): [string, () => ResourceHandler] => [`${cloud.name}:${resource}`, load]),
);

let multicloud: ResourceHandler | undefined;
/**
 * Resources that are not one cloud's. multicloud:GpuVm is handed the lookup of the clouds' own
 * handlers, so it never imports this module (no import circle).
 */
const crossCloudResources: Array<[string, () => ResourceHandler]> = [
  ["multicloud:GpuVm", () => (multicloud ??= require("./multicloud/gpuVm").multicloudGpuVm(handlerFor))],
];

const handlers: Record<string, () => ResourceHandler> = Object.fromEntries([...cloudResources, ...crossCloudResources]);

export type ProviderMethod = "check" | "diff" | "create" | "read" | "update" | "delete";

/** What the serialized shim passes as `this`: its type token and what configure stored. */
export interface ShimState {
  type: string;
  config?: ConfigSource;
}

/** Looks a resource's handler up by type token (`gpcn:GpuVm`); what multicloud:GpuVm is given. */
export type HandlerLookup = (type: string) => ResourceHandler;

export function handlerFor(type: string): ResourceHandler {
  const load = Object.prototype.hasOwnProperty.call(handlers, type) ? handlers[type] : undefined;
  if (!load) throw new Error(`pulumi-gpucloud: unknown resource type ${type}; is the installed package older than the stack?`);
  return load();
}

export function invoke(shim: ShimState, method: ProviderMethod, args: unknown[]): Promise<unknown> {
  // The host's own console.error of a failed call must not start an EPIPE loop either (outputPipes.ts).
  guardOutputPipes();
  const handler = handlerFor(shim.type) as any;
  return handler[method](shim.config, ...args);
}

export const resourceTypes = Object.keys(handlers);
