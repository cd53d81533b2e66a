import { adoptionMismatchError, Mismatch } from "../core/adoption";
import { Candidate } from "../core/createOnce";
import { normalizers } from "../core/diffRules";
import { isKind, NotFoundError, ValidationError } from "../core/errors";
import { FluenceClient, FluenceKind } from "./client";
import { GpuVmInputs } from "./inputs";
import { isGone } from "./observations";
import { ChosenOption, describeOption, modelMatches } from "./planSelection";
import { FluenceInstance } from "./schemas";

// Which Fluence instance is this resource's: for a create that may have been sent before
// (createOnce) and for `adoptId`.

/** Where a candidate of a create differs from the declared immutable inputs (empty = it may be ours). */
function candidateMismatches(i: FluenceInstance, inputs: GpuVmInputs): string[] {
  const out: string[] = [];
  if (i.osImage && i.osImage !== inputs.osImage) out.push(`osImage is ${i.osImage}`);
  if (i.sshKey && normalizers.sshPublicKey(i.sshKey) !== normalizers.sshPublicKey(inputs.sshPublicKey)) out.push("another SSH key");
  if (inputs.gpuModel && i.gpuModel && !modelMatches(i.gpuModel, inputs.gpuModel)) out.push(`gpuModel is ${i.gpuModel.model}`);
  if (inputs.gpuCount && i.gpuCount !== undefined && i.gpuCount !== inputs.gpuCount) out.push(`gpuCount is ${i.gpuCount}`);
  if (inputs.location && i.location && normalizers.lowerCase(i.location) !== normalizers.lowerCase(inputs.location)) out.push(`location is ${i.location}`);
  return out;
}

/**
 * Fluence has no idempotency key: a live instance with this name and every immutable input it
 * shows may be this resource's (a re-run after a crash or a lost answer) or another's (the one
 * being replaced); createOnce decides by the adoption rules. List items lack os_image and
 * ssh_key, so candidates are read in full. Concurrent creates share one listing; `fresh` (right
 * after a deploy whose answer was lost) lists anew for this create alone.
 */
export async function findOwnMachines(client: FluenceClient, inputs: GpuVmInputs, fresh: boolean): Promise<Candidate<string>[]> {
  const named = fresh ? await client.findInstancesByNameNow(inputs.kind, inputs.name) : await client.findInstancesByName(inputs.kind, inputs.name);
  const out: Candidate<string>[] = [];
  for (const candidate of named.filter((i) => !isGone(i))) {
    const full = (await client.getInstance(inputs.kind, candidate.id)) ?? candidate;
    if (!isGone(full) && candidateMismatches(full, inputs).length === 0) out.push({ id: full.id, value: full.id });
  }
  return out;
}

/**
 * Where an instance to adopt differs from the program. Fluence shows kind, GPU model and count,
 * location, OS image and the installed key; the plan option is checked through the plans when it
 * is still offered (instances do not name theirs). Not verified: planId once the option is no
 * longer offered, and maxPricePerHour, which only steers the choice at create (billing's
 * hourly_usage is not documented as the price).
 */
export function adoptionMismatches(i: FluenceInstance, inputs: GpuVmInputs, plan: ChosenOption | undefined): Mismatch[] {
  const out: Mismatch[] = [];
  const differs = (field: string, actual: unknown, declared: unknown) => out.push({ field, actual, declared });
  if (i.kind && i.kind !== inputs.kind) differs("kind", i.kind, inputs.kind);
  if (i.osImage && i.osImage !== inputs.osImage) differs("osImage", i.osImage, inputs.osImage);
  if (i.sshKey && normalizers.sshPublicKey(i.sshKey) !== normalizers.sshPublicKey(inputs.sshPublicKey)) differs("sshPublicKey", i.sshKey, inputs.sshPublicKey);
  if (inputs.gpuModel && (!i.gpuModel || !modelMatches(i.gpuModel, inputs.gpuModel))) differs("gpuModel", i.gpuModel?.model, inputs.gpuModel);
  if (inputs.gpuCount !== undefined && i.gpuCount !== inputs.gpuCount) differs("gpuCount", i.gpuCount, inputs.gpuCount);
  if (inputs.location && normalizers.lowerCase(i.location ?? "") !== normalizers.lowerCase(inputs.location)) differs("location", i.location, inputs.location);
  if (plan) {
    const fits =
      !!i.gpuModel && modelMatches(i.gpuModel, plan.gpuModel.model) && i.gpuCount === plan.gpuCount && normalizers.lowerCase(i.location ?? "") === normalizers.lowerCase(plan.option.location ?? "");
    if (!fits) differs("planId", `${i.gpuModel?.model ?? "?"} ×${i.gpuCount ?? "?"} ${i.location ?? "?"}`, `${plan.option.id} (${describeOption(plan)})`);
  }
  return out;
}

/** The instance to adopt, or why not: unknown id, another kind, or FAILED/ENDED (it can never run again). */
export async function instanceToAdopt(client: FluenceClient, id: string, kind: FluenceKind): Promise<FluenceInstance> {
  const other: FluenceKind = kind === "vm" ? "baremetal" : "vm";
  const get = async (k: FluenceKind) => {
    try {
      return await client.getInstance(k, id);
    } catch (err) {
      // Fluence answers 422 for an id that is not a UUID: no instance can have it.
      if (!isKind(err, "validation")) throw err;
      throw new ValidationError(`Fluence has no instance ${id} to adopt (${(err as Error).message})`, { cloud: "fluence", issues: [{ path: "adoptId", message: "is not a Fluence instance id" }] });
    }
  };
  const instance = await get(kind);
  if (!instance) {
    const elsewhere = await get(other);
    if (elsewhere && !isGone(elsewhere)) throw adoptionMismatchError("fluence", "Fluence instance", id, [{ field: "kind", actual: other, declared: kind }]);
    throw new NotFoundError(`Fluence has no ${kind} instance ${id} to adopt`, { cloud: "fluence" });
  }
  if (isGone(instance)) throw new NotFoundError(`Fluence instance ${id} is ${instance.status} and can never run again: nothing to adopt`, { cloud: "fluence" });
  return instance;
}
