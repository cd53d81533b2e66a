import type { CloudEntry } from "../emulator/core/cloudEntry";
import type { FunctionDefinition } from "./core/functionDefinition";
import type { ResourceHandler } from "./core/resourceHandler";
import type { OfferSource } from "./offers/offer";

/**
 * Everything the rest of the package needs to know about one cloud. Each `provider/<cloud>/descriptor.ts`
 * exports one and `provider/clouds.ts` lists them: the handler table, offer sources, README rule
 * tables, the emulator's cloud list, the SDK's cloud names and the test matrix are derived from that
 * list. Every part that loads code is a function, so reading the list loads no cloud.
 */
export interface CloudDescriptor<Name extends string = string> {
  /** The spec's lower-case name: config namespace, type-token module, `cloud` of its errors. */
  name: Name;
  /** Human name for messages and docs (the client spec's `label`). */
  title: string;
  /** Resource name → its handler, e.g. `GpuVm` (type token `<name>:GpuVm`). */
  resources: Record<string, () => ResourceHandler>;
  /** What getOffers and multicloud:GpuVm read of this cloud. */
  offerSource(): OfferSource;
  /** How `pulumi-gpucloud-emulator` starts this cloud's emulator (dist/emulator ships in the package). */
  emulator(): CloudEntry;
  /** Its lookups (`gpucloud:<name>:…` schema functions), from its functions.ts. */
  functions(): FunctionDefinition[];
}

/** A descriptor with its name kept as a literal type, so `CloudName` is a union of the four. */
export function describeCloud<const Name extends string>(descriptor: CloudDescriptor<Name>): CloudDescriptor<Name> {
  return descriptor;
}

/**
 * Looks a resource's handler up by type token (`gpcn:GpuVm`). provider/index.ts hands it to
 * multicloud:GpuVm, which therefore never imports the root (no import circle).
 */
export type HandlerLookup = (type: string) => ResourceHandler;
