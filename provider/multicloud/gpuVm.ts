import { OutOfCapacityError } from "../core/capacitySummary";
import { describePlan, diffFromPlan, FieldRule, planChanges, ResourceRules } from "../core/diffRules";
import { AMBIGUOUS_ADOPTION } from "../core/createOnce";
import { GpuCloudError, ValidationError } from "../core/errors";
import { PartialCreateError } from "../core/partialCreate";
import { logProgress } from "../core/progressLog";
import type { ResourceHandler } from "../core/resourceHandler";
import type { HandlerLookup } from "../cloudDescriptor";
import type { ConfigSource } from "../core/settings";
import { offerClouds } from "../offers/offerSources";
import { Candidate, candidatesFor } from "./candidates";
import { checkMulticloud, checkOffer, cloudInputsFor, gpuVmType, MulticloudInputs } from "./inputs";
import { Attempt, ChosenOffer, chosenOfferOf, cloudPropsOf, declaredOf, outputsOf } from "./stateShape";

// multicloud:GpuVm creates ONE VM on the first offer with capacity, then behaves as that cloud's
// GpuVm: read/update/delete go to the chosen cloud's handler with its own part of the state.
// Written out (not defineResource: that one serves a single cloud's settings, key and adoption
// ledger) because the name rule is the chosen cloud's, known only from state. The clouds' handlers
// come through `handlerFor`, handed in by provider/index.ts, so this module never imports the root.

const TYPE = "multicloud:GpuVm";
const STATE_ONLY: FieldRule = { change: "stateOnly" };

/** The cloud's own words for a capacity error, from its fields (nothing parses the message). */
function outcomeOf(err: unknown): string {
  const e = err as Partial<GpuCloudError> & { message?: string };
  const words = e.cloudMessage ?? (e instanceof GpuCloudError && e.status !== undefined ? `HTTP ${e.status}${e.code ? `, code ${e.code}` : ""}` : e.message ?? String(err));
  return words.length > 200 ? words.slice(0, 197) + "…" : words;
}

/** multicloud:GpuVm over the clouds' GpuVm handlers that `handlerFor` finds. */
export function multicloudGpuVm(handlerFor: HandlerLookup): ResourceHandler {
  const nameRuleOf = (cloud: string): FieldRule => handlerFor(gpuVmType(cloud)).rules.fields.name;

  /** The diff rules of a VM that lives on `cloud`. */
  function rulesFor(cloud: string): ResourceRules {
    return {
      type: TYPE,
      fields: {
        name: nameRuleOf(cloud),
        offers: { ...STATE_ONLY, doc: "used only at create: a changed list never moves or replaces the VM" },
        policy: { ...STATE_ONLY, doc: "used only at create" },
        maxPricePerHour: { ...STATE_ONLY, doc: "the budget guard, used at check and create" },
        createTimeoutSeconds: STATE_ONLY,
        deleteTimeoutSeconds: STATE_ONLY,
        adoptId: { ...STATE_ONLY, doc: "`<cloud>:<id>` of an existing machine to take over instead of creating one; it must match the inputs of an offer on that cloud" },
      },
    };
  }

  /** For the README: the name row says which clouds rename in place. */
  function documentedRules(): ResourceRules {
    const by = (change: string) => offerClouds.filter((c) => nameRuleOf(c).change === change);
    const inPlace = by("inPlace");
    const replace = by("replace");
    const doc = `follows the chosen cloud: in place on ${inPlace.join(", ") || "none"}; replaces on ${replace.join(", ") || "none"}`;
    const rules = rulesFor(offerClouds[0]);
    return { ...rules, fields: { ...rules.fields, name: { change: "inPlace", via: "the chosen cloud's GpuVm", call: "chosenCloudUpdate", doc } } };
  }

  async function parse(config: ConfigSource | undefined, news: Record<string, unknown>): Promise<MulticloudInputs> {
    const { inputs, failures } = await checkMulticloud(handlerFor, config, news ?? {});
    if (failures.length) throw new Error(`${TYPE}: invalid inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    return inputs as MulticloudInputs;
  }

  /** Every offer is checked by its cloud before the first is tried: a typo fails now, not after a fallback. */
  async function checkCandidates(config: ConfigSource | undefined, inputs: MulticloudInputs, candidates: Candidate[]) {
    const failures = [];
    for (const [n, c] of candidates.entries()) {
      failures.push(...(await checkOffer(handlerFor, config, inputs, c, `offer ${n} (${c.cloud} ${c.description})`)));
    }
    if (failures.length) {
      throw new ValidationError(`${TYPE} "${inputs.name}": invalid offers: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`, {
        cloud: "multicloud",
        issues: failures.map((f) => ({ path: f.property, message: f.reason })),
      });
    }
  }

  const isCapacity = (err: unknown) => (err as { kind?: string })?.kind === "capacity";
  const createdId = (err: unknown) => (err instanceof PartialCreateError || typeof (err as { id?: unknown })?.id === "string" ? (err as { id: string }).id : undefined);

  /** A cloud's partial create, recorded as this resource (its state shape, our `__provider`). */
  function asOurPartial(err: unknown, id: string, news: Record<string, unknown>, inputs: MulticloudInputs, chosen: ChosenOffer, attempts: Attempt[]): PartialCreateError {
    const e = err as Error & { properties?: Record<string, unknown>; reasons?: string[] };
    const properties = { ...outputsOf(inputs, chosen, attempts, e.properties ?? {}), __provider: news.__provider };
    return new PartialCreateError(`${TYPE} "${inputs.name}" on ${chosen.cloud}: ${e.message}`, id, properties, e.reasons ?? [e.message]);
  }

  async function create(config: ConfigSource | undefined, news: Record<string, unknown>) {
    const inputs = await parse(config, news);
    const what = `${TYPE} "${inputs.name}"`;
    const { candidates, notes } = await candidatesFor(config, inputs);
    if (candidates.length === 0) {
      const wanted = inputs.policy ? `no ${inputs.policy.gpu}×${inputs.policy.gpuCount} offer matches the policy` : "no offers";
      throw new OutOfCapacityError(what, [], [wanted, ...notes].join("; "));
    }
    await checkCandidates(config, inputs, candidates);
    if (inputs.adoptId) return adopt(config, news, inputs, candidates);
    const attempts: Attempt[] = [];
    for (const [index, candidate] of candidates.entries()) {
      const chosen = chosenOfferOf(candidate, index);
      try {
        logProgress("info", `${what}: trying offer ${index} (${index + 1} of ${candidates.length}): ${candidate.cloud} ${candidate.description}`);
        const created = await handlerFor(gpuVmType(candidate.cloud)).create(config, { ...cloudInputsFor(inputs, candidate.inputs), __provider: news.__provider });
        return { id: created.id, outs: outputsOf(inputs, chosen, attempts, created.outs) };
      } catch (err) {
        // Once a VM exists (partial create) it is recorded: never a second VM elsewhere.
        const id = createdId(err);
        if (id) throw asOurPartial(err, id, news, inputs, chosen, attempts);
        if (!isCapacity(err)) {
          // The cloud's own words say "set adoptId to its id"; here adoptId names the cloud too.
          const adoptHint = (err as { code?: string }).code === AMBIGUOUS_ADOPTION ? ` On ${TYPE}, adoptId takes \`${candidate.cloud}:<id>\`.` : "";
          if (err instanceof Error) err.message = `${what}: offer ${index} (${candidate.cloud} ${candidate.description}) failed, later offers were not tried (only capacity errors fall through): ${err.message}${adoptHint}`;
          throw err;
        }
        attempts.push({ index, cloud: candidate.cloud, offer: candidate.description, outcome: outcomeOf(err) });
        logProgress("warn", `${what}: ${candidate.cloud} ${candidate.description} has no capacity; ${index + 1 < candidates.length ? "trying the next offer" : "no offers left"}`);
      }
    }
    throw new OutOfCapacityError(what, attempts, notes.join("; ") || undefined);
  }

  /**
   * `adoptId: "<cloud>:<id>"`: the cloud's own adoption, against each offer on that cloud in order
   * until one matches every immutable input (a mismatch is the cloud's error naming the fields).
   */
  async function adopt(config: ConfigSource | undefined, news: Record<string, unknown>, inputs: MulticloudInputs, candidates: Candidate[]) {
    const [cloud, ...rest] = inputs.adoptId!.split(":");
    const id = rest.join(":");
    const onCloud = candidates.map((c, index) => ({ c, index })).filter(({ c }) => c.cloud === cloud);
    if (!onCloud.length) throw new ValidationError(`${TYPE} "${inputs.name}": adoptId names ${cloud}, but no offer is on ${cloud}`, { cloud: "multicloud", issues: [{ path: "adoptId", message: "no offer on that cloud" }] });
    let mismatch: unknown;
    for (const { c, index } of onCloud) {
      const chosen = chosenOfferOf(c, index);
      try {
        const adopted = await handlerFor(gpuVmType(cloud)).create(config, { ...cloudInputsFor(inputs, c.inputs), adoptId: id, __provider: news.__provider });
        return { id: adopted.id, outs: outputsOf(inputs, chosen, [], adopted.outs) };
      } catch (err) {
        const partial = createdId(err);
        if (partial) throw asOurPartial(err, partial, news, inputs, chosen, []);
        if ((err as { kind?: string }).kind !== "validation" || onCloud.length === 1) throw err;
        mismatch = err;
      }
    }
    throw mismatch;
  }

  function chosenOf(props: Record<string, unknown>, id: string): ChosenOffer {
    const chosen = props.chosenOffer as ChosenOffer | undefined;
    if (!chosen?.cloud || !offerClouds.includes(chosen.cloud)) {
      throw new GpuCloudError(`${TYPE} ${id}: the state names no chosen cloud; it cannot be read without the state create wrote (get/import are not supported)`, { cloud: "multicloud" });
    }
    return chosen;
  }

  async function update(config: ConfigSource | undefined, id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = await parse(config, news);
    const chosen = chosenOf(olds, id);
    const plan = planChanges(rulesFor(chosen.cloud), olds, inputs);
    if (plan.replaces.length) throw new Error(`${TYPE}: update cannot change ${plan.replaces.map((c) => c.field).join(", ")} on ${chosen.cloud}; these force replacement`);
    const attempts = (olds.attempts as Attempt[] | undefined) ?? [];
    try {
      // Always the chosen cloud's update: it also continues a create that did not finish.
      const { outs } = await handlerFor(gpuVmType(chosen.cloud)).update(config, id, cloudPropsOf(olds), cloudInputsFor(inputs, chosen.inputs));
      return { outs: outputsOf(inputs, chosen, attempts, outs) };
    } catch (err) {
      if (createdId(err)) throw asOurPartial(err, id, news, inputs, chosen, attempts);
      throw err;
    }
  }

  async function read(config: ConfigSource | undefined, id: string, props: Record<string, unknown>) {
    const chosen = chosenOf(props ?? {}, id);
    const res = await handlerFor(gpuVmType(chosen.cloud)).read(config, id, cloudPropsOf(props));
    if (!res.id) return {};
    // An out-of-band rename shows as a changed name input, so the next up puts it back.
    const name = res.inputs?.name ?? res.props?.name ?? props.name;
    const ours = { ...declaredOf(props), name } as Partial<MulticloudInputs>;
    return { id: res.id, props: outputsOf(ours, chosen, (props.attempts as Attempt[]) ?? [], res.props ?? cloudPropsOf(props)), inputs: ours };
  }

  return {
    get rules() {
      return documentedRules();
    },
    async check(config, _olds, news) {
      const { inputs, failures } = await checkMulticloud(handlerFor, config, news ?? {});
      return failures.length ? { inputs: news, failures } : { inputs };
    },
    async diff(config, id, olds, news) {
      const cloud = chosenOf(olds ?? {}, id).cloud;
      // The machine is recorded: a create of the replacement on that cloud never adopts it.
      handlerFor(gpuVmType(cloud)).noteRecorded?.(config, id);
      const plan = planChanges(rulesFor(cloud), olds ?? {}, news ?? {});
      for (const line of describePlan(plan)) logProgress("info", `${TYPE} "${olds?.name ?? id}" on ${cloud}: ${line}`);
      return diffFromPlan(plan);
    },
    create,
    read,
    update,
    delete: (config, id, props) => handlerFor(gpuVmType(chosenOf(props ?? {}, id).cloud)).delete(config, id, cloudPropsOf(props ?? {})),
  };
}
