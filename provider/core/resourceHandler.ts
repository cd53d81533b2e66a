import { z } from "zod";
import { CheckFailure, checkInputs, CrossCheck } from "./inputValidation";
import { ChangePlan, describePlan, diffFromPlan, planChanges, resettingFields, ResourceRules } from "./diffRules";
import { logProgress } from "./progressLog";
import { redactError } from "./redaction";
import { ADOPT_ID_DOC } from "./adoption";
import { adoptionLedger, AdoptionScope } from "./adoptionLedger";
import { CloudSettings, CloudSpec, ConfigSource, resolveSettings } from "./settings";
import { endpointRefusal } from "./endpointSafety";

/** What each call gets: the resolved settings of its cloud and who it is. */
export interface CallContext {
  type: string;
  cloud: CloudSpec;
  settings: CloudSettings;
  /** In create: what the engine told this process about the resource (which machines it must never adopt). */
  adoption: AdoptionScope;
}

export interface ResourceDefinition<S extends z.ZodObject<any>> {
  type: string;
  cloud: CloudSpec;
  inputSchema: S;
  crossCheck?: CrossCheck<z.infer<S>>;
  rules: ResourceRules;
  create(ctx: CallContext, inputs: z.infer<S>): Promise<{ id: string; outs: Record<string, unknown> }>;
  read(ctx: CallContext, id: string, props: Record<string, unknown>): Promise<ReadOutcome>;
  update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: z.infer<S>, plan: ChangePlan): Promise<Record<string, unknown>>;
  delete(ctx: CallContext, id: string, props: Record<string, unknown>): Promise<void>;
  /**
   * Takes over an existing resource named by the `adoptId` input instead of creating one: verify
   * it matches the immutable inputs (else `adoptionMismatchError`), bring in-place fields in line,
   * return its state. Defining it adds `adoptId` to the inputs and the rules.
   */
  adopt?(ctx: CallContext, id: string, inputs: z.infer<S>): Promise<{ id: string; outs: Record<string, unknown> }>;
}

export interface ReadOutcome {
  /** undefined only when the cloud said the resource is gone. */
  id?: string;
  props?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
}

/** The shape the shim forwards to: the dynamic-provider methods plus the stored config. */
export interface ResourceHandler {
  /** The table `diff` and the README are computed from. */
  readonly rules: ResourceRules;
  /** The inputs `check` validates against (with `adoptId` where the resource can adopt); the schema is generated from it. */
  readonly inputSchema?: z.ZodObject<any>;
  check(config: ConfigSource | undefined, olds: any, news: any): Promise<{ inputs?: any; failures?: CheckFailure[] }>;
  diff(config: ConfigSource | undefined, id: string, olds: any, news: any): Promise<any>;
  create(config: ConfigSource | undefined, inputs: any): Promise<{ id: string; outs: any }>;
  read(config: ConfigSource | undefined, id: string, props: any): Promise<ReadOutcome>;
  update(config: ConfigSource | undefined, id: string, olds: any, news: any): Promise<{ outs: any }>;
  delete(config: ConfigSource | undefined, id: string, props: any): Promise<void>;
  /** The engine named `id` through another door (multicloud's diff): a resource records it, so no create adopts it. */
  noteRecorded?(config: ConfigSource | undefined, id: string): void;
}

export function defineResource<S extends z.ZodObject<any>>(definition: ResourceDefinition<S>): ResourceHandler {
  const def = definition.adopt ? withAdoptId(definition) : definition;
  const endpointOf = (config: ConfigSource | undefined) => resolveSettings(def.cloud, config).endpoint;
  const context = (config: ConfigSource | undefined, inputs: Record<string, unknown> = {}): CallContext => {
    const settings = resolveSettings(def.cloud, config);
    return { type: def.type, cloud: def.cloud, settings, adoption: adoptionLedger.scopeFor(def.type, settings.endpoint, inputs) };
  };
  // Every error leaving the provider is scrubbed of the key, whatever produced it.
  const guarded = async <T>(config: ConfigSource | undefined, run: (ctx: CallContext) => Promise<T>, inputs?: Record<string, unknown>): Promise<T> => {
    const ctx = context(config, inputs);
    try {
      return await run(ctx);
    } catch (err) {
      throw redactError(err, [ctx.settings.apiKey]);
    }
  };
  const parseInputs = (news: Record<string, unknown>): z.infer<S> => {
    const { inputs, failures } = checkInputs(def.inputSchema, news, def.crossCheck);
    if (failures.length) {
      throw new Error(`${def.type}: invalid inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    return inputs as z.infer<S>;
  };

  return {
    rules: def.rules,
    inputSchema: def.inputSchema,
    async check(config, olds, news) {
      const { inputs, failures } = checkInputs(def.inputSchema, news ?? {}, def.crossCheck);
      // Refused here, before any request could carry the key to an unsafe endpoint.
      const refusal = endpointRefusal(def.cloud, config);
      if (refusal) failures.push({ property: refusal.setting, reason: refusal.reason });
      if (failures.length) return { inputs: news, failures };
      adoptionLedger.noteChecked(def.type, endpointOf(config), olds, inputs as Record<string, unknown>);
      return { inputs };
    },
    async diff(config, id, olds, news) {
      const plan = planChanges(def.rules, olds ?? {}, news ?? {});
      if (plan.replaces.length) adoptionLedger.noteReplacing(def.type, endpointOf(config), news ?? {}, id);
      else adoptionLedger.noteRecorded(def.type, endpointOf(config), id);
      if (plan.changes.length) {
        const who = `${def.type} "${olds?.name ?? id}"`;
        for (const line of describePlan(plan)) logProgress("info", `${who}: ${line}`);
        const resetting = resettingFields(plan);
        if (resetting.length) logProgress("warn", `${who}: changing ${resetting.join(", ")} resets the machine; running processes stop`);
      }
      return diffFromPlan(plan, def.rules);
    },
    create: (config, news) =>
      guarded(
        config,
        async (ctx) => {
          const inputs = parseInputs(news);
          const adoptId = (inputs as { adoptId?: string }).adoptId;
          const created = adoptId && def.adopt ? await def.adopt(ctx, adoptId, inputs) : await def.create(ctx, inputs);
          ctx.adoption.claim(created.id);
          return { id: created.id, outs: keepAdoptId(created.outs, inputs) };
        },
        news ?? {},
      ),
    read: (config, id, props) =>
      guarded(config, async (ctx) => {
        adoptionLedger.noteRecorded(def.type, ctx.settings.endpoint, id);
        const res = await def.read(ctx, id, props ?? {});
        if (!res.id) return res;
        return { ...res, props: res.props && keepAdoptId(res.props, props ?? {}), inputs: res.inputs && keepAdoptId(res.inputs, props ?? {}) };
      }),
    update: (config, id, olds, news) =>
      guarded(config, async (ctx) => {
        adoptionLedger.noteRecorded(def.type, ctx.settings.endpoint, id);
        const inputs = parseInputs(news);
        const plan = planChanges(def.rules, olds ?? {}, inputs);
        if (plan.replaces.length) {
          throw new Error(`${def.type}: update cannot change ${plan.replaces.map((c) => c.field).join(", ")}; these force replacement`);
        }
        return { outs: keepAdoptId(await def.update(ctx, id, olds ?? {}, inputs, plan), inputs) };
      }),
    noteRecorded: (config, id) => adoptionLedger.noteRecorded(def.type, endpointOf(config), id),
    delete: (config, id, props) =>
      guarded(config, (ctx) => {
        adoptionLedger.noteRecorded(def.type, ctx.settings.endpoint, id);
        return def.delete(ctx, id, props ?? {});
      }),
  };
}

/** Inputs as the user declared them (plus defaults), without the engine's bookkeeping keys. */
export function declaredInputs(schema: z.ZodObject<any>, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
}

/** adoptId is stored as given (a stateOnly input), whatever the cloud's handlers return. */
function keepAdoptId(outs: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  return from.adoptId === undefined ? outs : { ...outs, adoptId: from.adoptId };
}

function withAdoptId<S extends z.ZodObject<any>>(def: ResourceDefinition<S>): ResourceDefinition<S> {
  return {
    ...def,
    inputSchema: def.inputSchema.extend({ adoptId: z.string().min(1).optional() }) as unknown as S,
    rules: { ...def.rules, fields: { ...def.rules.fields, adoptId: { change: "stateOnly", doc: ADOPT_ID_DOC } } },
  };
}
