import { z } from "zod";
import { CheckFailure, checkInputs, CrossCheck } from "./inputValidation";
import { ChangePlan, describePlan, diffFromPlan, planChanges, ResourceRules } from "./diffRules";
import { logProgress } from "./progressLog";
import { redactError } from "./redaction";
import { CloudSettings, CloudSpec, ConfigSource, resolveSettings } from "./settings";

/** What each call gets: the resolved settings of its cloud and who it is. */
export interface CallContext {
  type: string;
  cloud: CloudSpec;
  settings: CloudSettings;
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
  check(config: ConfigSource | undefined, olds: any, news: any): Promise<{ inputs?: any; failures?: CheckFailure[] }>;
  diff(config: ConfigSource | undefined, id: string, olds: any, news: any): Promise<any>;
  create(config: ConfigSource | undefined, inputs: any): Promise<{ id: string; outs: any }>;
  read(config: ConfigSource | undefined, id: string, props: any): Promise<ReadOutcome>;
  update(config: ConfigSource | undefined, id: string, olds: any, news: any): Promise<{ outs: any }>;
  delete(config: ConfigSource | undefined, id: string, props: any): Promise<void>;
}

export function defineResource<S extends z.ZodObject<any>>(def: ResourceDefinition<S>): ResourceHandler {
  const context = (config: ConfigSource | undefined): CallContext => ({
    type: def.type,
    cloud: def.cloud,
    settings: resolveSettings(def.cloud, config),
  });
  // Every error leaving the provider is scrubbed of the key, whatever produced it.
  const guarded = async <T>(config: ConfigSource | undefined, run: (ctx: CallContext) => Promise<T>): Promise<T> => {
    const ctx = context(config);
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
    async check(_config, _olds, news) {
      const { inputs, failures } = checkInputs(def.inputSchema, news ?? {}, def.crossCheck);
      return failures.length ? { inputs: news, failures } : { inputs };
    },
    async diff(_config, id, olds, news) {
      const plan = planChanges(def.rules, olds ?? {}, news ?? {});
      if (plan.changes.length) {
        const who = `${def.type} "${olds?.name ?? id}"`;
        for (const line of describePlan(plan)) logProgress("info", `${who}: ${line}`);
      }
      return diffFromPlan(plan);
    },
    create: (config, news) => guarded(config, (ctx) => def.create(ctx, parseInputs(news))),
    read: (config, id, props) => guarded(config, (ctx) => def.read(ctx, id, props ?? {})),
    update: (config, id, olds, news) =>
      guarded(config, async (ctx) => {
        const inputs = parseInputs(news);
        const plan = planChanges(def.rules, olds ?? {}, inputs);
        if (plan.replaces.length) {
          throw new Error(`${def.type}: update cannot change ${plan.replaces.map((c) => c.field).join(", ")}; these force replacement`);
        }
        return { outs: await def.update(ctx, id, olds ?? {}, inputs, plan) };
      }),
    delete: (config, id, props) => guarded(config, (ctx) => def.delete(ctx, id, props ?? {})),
  };
}

/** Inputs as the user declared them (plus defaults), without the engine's bookkeeping keys. */
export function declaredInputs(schema: z.ZodObject<any>, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
}
