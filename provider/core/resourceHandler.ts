import { z } from "zod";
import { CheckFailure, checkInputs, CrossCheck } from "./inputValidation";
import { ChangePlan, describePlan, diffFromPlan, planChanges, planWarnings, resettingFields, ResourceRules } from "./diffRules";
import { logProgress } from "./progressLog";
import { redactError } from "./redaction";
import { ValidationError } from "./errors";
import { ADOPT_ID_DOC } from "./adoption";
import { adoptionLedger, AdoptionScope } from "./adoptionLedger";
import { CloudSettings, CloudSpec, ConfigSource, resolveSettings } from "./settings";
import { budgetFailure, fieldsOfQuote, maxPricePerHourInput, PriceQuote, priceFieldsOf, sayOnce, stackCapOf } from "./pricing";
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
  /**
   * The machine's price from the cloud's published offer data (core/pricing.ts), asked at check so
   * a preview shows it; undefined when the inputs it needs are unknown. Defining it adds the
   * `maxPricePerHour` input, the budget guard and the price outputs.
   */
  price?(ctx: CallContext, inputs: z.infer<S>, config: ConfigSource | undefined): Promise<PriceQuote | undefined>;
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
  const def = withMaxPrice(definition.adopt ? withAdoptId(definition) : definition);
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
      if (!def.price) return { inputs };
      return guarded(config, (ctx) => priceAtCheck(ctx, config, inputs as Record<string, unknown>, def.price!));
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
        for (const warning of planWarnings(plan)) logProgress("warn", `${who}: ${warning}`);
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
          // Called without check (multicloud:GpuVm creates through here): quote now, best effort.
          const priced = priceFieldsOf(news) || !def.price ? news : await quoteQuietly(ctx, config, inputs, def.price);
          return { id: created.id, outs: withPriceOf(keepAdoptId(created.outs, inputs), priced) };
        },
        news ?? {},
      ),
    read: (config, id, props) =>
      guarded(config, async (ctx) => {
        adoptionLedger.noteRecorded(def.type, ctx.settings.endpoint, id);
        const res = await def.read(ctx, id, props ?? {});
        if (!res.id) return res;
        const kept = res.props && withPriceOf(keepAdoptId(res.props, props ?? {}), props ?? {});
        return { ...res, props: kept, inputs: res.inputs && keepAdoptId(res.inputs, props ?? {}) };
      }),
    update: (config, id, olds, news) =>
      guarded(config, async (ctx) => {
        adoptionLedger.noteRecorded(def.type, ctx.settings.endpoint, id);
        const inputs = parseInputs(news);
        const plan = planChanges(def.rules, olds ?? {}, inputs);
        if (plan.replaces.length) {
          throw new Error(`${def.type}: update cannot change ${plan.replaces.map((c) => c.field).join(", ")}; these force replacement`);
        }
        const outs = keepAdoptId(await def.update(ctx, id, olds ?? {}, inputs, plan), inputs);
        return { outs: withPriceOf(outs, priceFieldsOf(news) ? news : (olds ?? {})) };
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

/** adoptId and maxPricePerHour are stored as given (stateOnly inputs), whatever the cloud's handlers return. */
function keepAdoptId(outs: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  const kept = { ...outs };
  for (const key of ["adoptId", "maxPricePerHour"]) if (from[key] !== undefined) kept[key] = from[key];
  return kept;
}

/**
 * The price fields of `from` (the checked inputs, or the old state) on the outputs. A price the
 * cloud itself returned for the machine (Fluence's chosen option) wins over the quote made at check.
 */
function withPriceOf(outs: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  const quoted = priceFieldsOf(from);
  if (!quoted) return outs;
  const own = typeof outs.pricePerHour === "number" && typeof outs.currency === "string";
  return own ? { ...quoted, ...outs, priceSource: outs.priceSource ?? "cloud" } : { ...outs, ...quoted };
}

/**
 * Check of a priced resource: the checked inputs plus the price fields (so a preview shows them),
 * or the guard's failure when the price is over a cap. A price that cannot be read (no key, cloud
 * down) is said once and left out: check never fails for want of a price unless a cap needs it.
 */
async function priceAtCheck(
  ctx: CallContext,
  config: ConfigSource | undefined,
  inputs: Record<string, unknown>,
  price: (ctx: CallContext, inputs: any, config: ConfigSource | undefined) => Promise<PriceQuote | undefined>,
) {
  let stackCap: number | undefined;
  try {
    stackCap = stackCapOf(config);
  } catch (err) {
    return { inputs, failures: [{ property: "maxStackPricePerHour", reason: (err as Error).message }] };
  }
  // Without a key nothing can be created (and nothing is asked of a cloud the stack does not use).
  if (!ctx.settings.apiKey) return { inputs };
  let quote: PriceQuote | undefined;
  try {
    quote = await price(ctx, inputs, config);
  } catch (err) {
    // Bad price configuration (an unknown SKU in the table) is the user's to fix: refused here.
    if (err instanceof ValidationError) return { inputs, failures: [{ property: err.issues?.[0]?.path ?? "pricePerHour", reason: err.message }] };
    sayOnce(`${ctx.type}: price not shown: ${(err as Error).message}`);
    return { inputs };
  }
  if (!quote) return { inputs };
  const over = budgetFailure(quote, { maxPricePerHour: inputs.maxPricePerHour as number | undefined, stackCap });
  if (over) return { inputs, failures: [over] };
  return { inputs: { ...inputs, ...fieldsOfQuote(quote) } };
}

async function quoteQuietly(
  ctx: CallContext,
  config: ConfigSource | undefined,
  inputs: Record<string, unknown>,
  price: (ctx: CallContext, inputs: any, config: ConfigSource | undefined) => Promise<PriceQuote | undefined>,
): Promise<Record<string, unknown>> {
  const quote = await price(ctx, inputs, config).catch(() => undefined);
  return quote ? fieldsOfQuote(quote) : {};
}

function withMaxPrice<S extends z.ZodObject<any>>(def: ResourceDefinition<S>): ResourceDefinition<S> {
  if (!def.price) return def;
  const has = "maxPricePerHour" in def.inputSchema.shape;
  return {
    ...def,
    inputSchema: has ? def.inputSchema : (def.inputSchema.extend({ maxPricePerHour: maxPricePerHourInput }) as unknown as S),
    rules: has
      ? def.rules
      : {
          ...def.rules,
          fields: { ...def.rules.fields, maxPricePerHour: { change: "stateOnly", doc: "the budget guard: check refuses a machine that costs more per hour" } },
        },
  };
}

function withAdoptId<S extends z.ZodObject<any>>(def: ResourceDefinition<S>): ResourceDefinition<S> {
  return {
    ...def,
    inputSchema: def.inputSchema.extend({ adoptId: z.string().min(1).optional() }) as unknown as S,
    rules: { ...def.rules, fields: { ...def.rules.fields, adoptId: { change: "stateOnly", doc: ADOPT_ID_DOC } } },
  };
}
