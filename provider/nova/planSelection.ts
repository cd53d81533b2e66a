import { NovaClient } from "./client";
import { sameGpuType } from "./gpuTypes";
import { GpuVmInputs } from "./inputs";
import { pickCheapestOffer } from "./offers";

// What a nova:GpuVm buys: the node (declared, or the cheapest matching offer) and the GPU type's spelling.

/**
 * Where to put the VM: the declared node, or the cheapest available matching offer. The GPU type
 * is sent in the spelling /search uses. Nothing is bought when no offer fits (capacity, fast).
 */
export async function placement(client: NovaClient, inputs: GpuVmInputs): Promise<{ node: string; gpuType: string; why?: string }> {
  if (inputs.node) {
    // /search only gives the spelling to send (and an early "unknown GPU type"): once an answer in
    // this process showed it for this node, it is not read again.
    const spelled = client.knownGpuTypeSpelling(inputs.node, inputs.gpuType);
    if (spelled) return { node: inputs.node, gpuType: spelled };
    const offers = await client.sharedSearch().catch(() => []); // an explicit node does not depend on /search
    const ofType = offers.filter((o) => sameGpuType(o.gpuType, inputs.gpuType));
    const known = ofType.find((o) => o.node === inputs.node) ?? ofType[0];
    if (offers.length && !known) pickCheapestOffer(offers, inputs); // throws the "unknown GPU type" error
    return { node: inputs.node, gpuType: known?.gpuType ?? inputs.gpuType };
  }
  const offer = pickCheapestOffer(await client.sharedSearch(), inputs);
  return { node: offer.node!, gpuType: offer.gpuType, why: `the cheapest available ${offer.gpuType} ×${offer.gpuCount} offer, $${offer.gpuPriceHourly}/GPU-h` };
}
