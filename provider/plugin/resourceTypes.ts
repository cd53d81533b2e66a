import { handlerFor } from "..";
import type { ResourceHandler } from "../core/resourceHandler";
import { PACKAGE } from "./providerConfig";

// The native type token `gpucloud:gpcn:GpuVm` names the same handler as the dynamic shim's
// `gpcn:GpuVm` (provider/index.ts): one copy of every cloud's logic behind both doors.

export interface ResourceRef {
  /** `gpucloud:gpcn:GpuVm` */
  token: string;
  /** The resource's name in the program (the URN's last part). */
  name: string;
  handler: ResourceHandler;
}

/** urn:pulumi:<stack>::<project>::<parent$…$type>::<name> */
export function resourceOf(urn: string, type?: string): ResourceRef {
  const parts = urn.split("::");
  const token = type || (parts[2] ?? "").split("$").pop() || "";
  const name = parts.slice(3).join("::");
  const prefix = `${PACKAGE}:`;
  if (!token.startsWith(prefix)) throw new Error(`pulumi-gpucloud: ${token || urn} is not a ${PACKAGE} resource type`);
  return { token, name, handler: handlerFor(token.slice(prefix.length)) };
}
