import { z } from "zod";
import { endpointRefusal } from "../core/endpointSafety";
import { maxPricePerHourInput, priceFieldsOf } from "../core/pricing";
import { CheckFailure, checkInputs, inputs as commonInputs } from "../core/inputValidation";
import type { ConfigSource } from "../core/settings";
import { containsUnknown } from "../core/unknown";
import { knownGpuNames, normalizeGpu } from "../offers/gpuModels";
import { offerClouds, offerSourceFor } from "../offers/offerSources";
import type { HandlerLookup } from "../cloudDescriptor";
import { policyClouds } from "./candidates";

// Inputs of multicloud:GpuVm. Each offer's inputs are checked by its own cloud's GpuVm, so a
// bad offer is refused at preview with the cloud's own words, before anything is bought.

const cloudName = z.string().refine((c) => offerClouds.includes(c), { message: `must be one of ${offerClouds.join(", ")}` });
const inputsRecord = z.record(z.string(), z.unknown());

export const offerChoice = z.object({ cloud: cloudName, inputs: inputsRecord });

export const capacityPolicy = z.object({
  gpu: z.string().refine((g) => normalizeGpu(g) !== undefined, { message: `unknown GPU; known: ${knownGpuNames().join(", ")}` }),
  gpuCount: z.number().int().min(1).max(16),
  maxPricePerHour: z.number().positive().optional(),
  clouds: z.array(cloudName).min(1).optional(),
  regions: z.array(z.string().min(1)).optional(),
  /** Inputs every VM of that cloud needs besides the offer's own (sshKeyId, osImage, imageUrl, …). */
  extras: z.record(z.string(), inputsRecord).optional(),
});

/** `<cloud>:<id>`: the machine to take over instead of creating one, and the cloud it is on. */
const adoptIdOnCloud = z
  .string()
  .regex(/^[a-z]+:.+$/, { message: 'must name the cloud and the id, e.g. "nova:9f0e…"' })
  .refine((v) => offerClouds.includes(v.split(":")[0]), { message: `must start with one of ${offerClouds.join(", ")} and a colon` });

export const multicloudInputs = z.object({
  name: z.string().min(1),
  adoptId: adoptIdOnCloud.optional(),
  offers: z.array(offerChoice).min(1).optional(),
  policy: capacityPolicy.optional(),
  /** The budget guard: listed offers over it are refused at check; the policy's offers over it are not tried. */
  maxPricePerHour: maxPricePerHourInput,
  createTimeoutSeconds: commonInputs.deadlineSeconds(1800),
  deleteTimeoutSeconds: commonInputs.deadlineSeconds(900),
});
export type MulticloudInputs = z.infer<typeof multicloudInputs>;
export type OfferChoice = z.infer<typeof offerChoice>;
export type CapacityPolicy = z.infer<typeof capacityPolicy>;

/** Keys the resource sets for every offer; an offer must not set them itself. */
const OWN_KEYS = ["name", "createTimeoutSeconds", "deleteTimeoutSeconds", "adoptId", "maxPricePerHour"];

export const gpuVmType = (cloud: string) => `${cloud}:GpuVm`;

/** What the chosen cloud's GpuVm receives for one offer. */
export function cloudInputsFor(
  inputs: Pick<MulticloudInputs, "name" | "createTimeoutSeconds" | "deleteTimeoutSeconds"> & { maxPricePerHour?: number },
  offerInputs: Record<string, unknown>,
) {
  const capped = inputs.maxPricePerHour === undefined ? {} : { maxPricePerHour: inputs.maxPricePerHour };
  return { ...offerInputs, name: inputs.name, createTimeoutSeconds: inputs.createTimeoutSeconds, deleteTimeoutSeconds: inputs.deleteTimeoutSeconds, ...capped };
}

/** The cloud's own check of one offer (its handler found through `handlerFor`), failures named `<prefix>.<input>`. */
export async function checkOffer(handlerFor: HandlerLookup, config: ConfigSource | undefined, inputs: MulticloudInputs, choice: OfferChoice, prefix: string): Promise<CheckFailure[]> {
  return (await checkPricedOffer(handlerFor, config, inputs, choice, prefix)).failures;
}

/** checkOffer, plus the offer's price fields as its cloud's check quoted them (core/pricing.ts). */
async function checkPricedOffer(handlerFor: HandlerLookup, config: ConfigSource | undefined, inputs: MulticloudInputs, choice: OfferChoice, prefix: string) {
  const own = Object.keys(choice.inputs).filter((k) => OWN_KEYS.includes(k));
  if (own.length) {
    const failures = own.map((k) => ({ property: `${prefix}.${k}`, reason: k === "adoptId" ? "adopting is not supported through multicloud:GpuVm" : `set ${k} on the resource, not per offer` }));
    return { failures };
  }
  const res = await handlerFor(gpuVmType(choice.cloud)).check(config, {}, cloudInputsFor(inputs, choice.inputs));
  const failures = (res.failures ?? []).map((f) => ({ property: f.property === "name" ? "name" : `${prefix}.${f.property}`, reason: f.property === "name" ? `${choice.cloud}: ${f.reason}` : f.reason }));
  return { failures, price: priceFieldsOf(res.inputs) };
}

export async function checkMulticloud(handlerFor: HandlerLookup, config: ConfigSource | undefined, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const { inputs, failures } = checkInputs(multicloudInputs, news, (i, known) => [
    ...(known("offers") && known("policy") && !i.offers && !i.policy ? [{ property: "offers", reason: "set offers, a policy, or both" }] : []),
    ...(known("adoptId") && known("offers") && known("policy") && i.adoptId && !i.policy && !(i.offers ?? []).some((o) => o.cloud === i.adoptId!.split(":")[0])
      ? [{ property: "adoptId", reason: `names ${i.adoptId.split(":")[0]}, but no offer is on that cloud: the machine is checked against an offer's inputs` }]
      : []),
  ]);
  if (failures.length) return { inputs, failures };
  const typed = inputs as MulticloudInputs;
  const offerFailures: CheckFailure[] = [];
  let firstOffer: { cloud: string; price?: Record<string, unknown> } | undefined;
  for (const [n, choice] of (Array.isArray(typed.offers) ? typed.offers : []).entries()) {
    // With unknowns inside, zod skipped the list (preview): check what can be checked.
    if (!choice || containsUnknown(choice.cloud) || !offerClouds.includes(choice.cloud)) continue;
    const inputsOfChoice = choice.inputs && typeof choice.inputs === "object" ? choice.inputs : {};
    const checked = await checkPricedOffer(handlerFor, config, typed, { cloud: choice.cloud, inputs: inputsOfChoice }, `offers[${n}].inputs`);
    offerFailures.push(...checked.failures);
    if (n === 0) firstOffer = { cloud: choice.cloud, price: checked.price };
  }
  const extras = typed.policy && !containsUnknown(typed.policy) ? typed.policy.extras ?? {} : {};
  for (const cloud of Object.keys(extras).filter((c) => !offerClouds.includes(c))) {
    offerFailures.push({ property: `policy.extras.${cloud}`, reason: `unknown cloud; known: ${offerClouds.join(", ")}` });
  }
  // A policy reads the offers of every cloud it may use, with that cloud's key: an endpoint that
  // would carry the key in clear text is refused now, as an offer's own check refuses it.
  if (typed.policy && !containsUnknown(typed.policy)) {
    for (const cloud of policyClouds(typed.policy) ?? offerClouds) {
      const refusal = endpointRefusal(offerSourceFor(cloud).spec, config);
      if (refusal) offerFailures.push({ property: `policy.${refusal.setting}`, reason: refusal.reason });
    }
  }
  // The preview shows the first listed offer (the one create tries first): its cloud and price.
  if (offerFailures.length || !firstOffer) return { inputs, failures: dedupe(offerFailures) };
  return { inputs: { ...inputs, cloud: firstOffer.cloud, ...firstOffer.price }, failures: [] };
}

function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => (seen.has(`${f.property}\n${f.reason}`) ? false : (seen.add(`${f.property}\n${f.reason}`), true)));
}
