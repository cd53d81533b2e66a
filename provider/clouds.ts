import { fluenceDescriptor } from "./fluence/descriptor";
import { gpcnDescriptor } from "./gpcn/descriptor";
import { novaDescriptor } from "./nova/descriptor";
import { novitaDescriptor } from "./novita/descriptor";

// The one place a cloud is registered. The handler table (provider/index.ts), offer sources
// (offers/offerSources.ts), README rule tables (ruleTables.ts), the emulator's cloud list
// (emulator/clouds.ts), the SDK's `CloudName` and the reliability test matrix all read this list.
// Adding a cloud = its folder with a descriptor.ts, and one entry here. The order is the order
// offers are listed and tried in, and the order of `pulumi-gpucloud-emulator --cloud all`.

export const clouds = [gpcnDescriptor, novaDescriptor, novitaDescriptor, fluenceDescriptor] as const;

/** "gpcn" | "nova" | "novita" | "fluence" */
export type CloudName = (typeof clouds)[number]["name"];

export const cloudNames: CloudName[] = clouds.map((c) => c.name);

export function cloudNamed(name: string): (typeof clouds)[number] {
  const found = clouds.find((c) => c.name === name);
  if (!found) throw new Error(`pulumi-gpucloud: unknown cloud "${name}"; known: ${cloudNames.join(", ")}`);
  return found;
}
