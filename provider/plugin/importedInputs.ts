import type { ResourceHandler } from "../core/resourceHandler";
import { declaredInputs } from "../core/resourceHandler";
import type { ConfigSource } from "../core/settings";

// `pulumi import` (and the `import` resource option) read a resource knowing only its id; the
// engine needs inputs back, checks them (Check(inputs, inputs)), writes them into the generated
// program and diffs them against the outputs. A cloud that can say which inputs made a machine
// has an `importInputs` module; otherwise the inputs are the declared-input fields its read
// filled in. The read is then repeated with those inputs as the state, so outputs and inputs
// agree exactly as after a create.

type ImportInputs = (config: ConfigSource | undefined, id: string) => Promise<Record<string, unknown> | undefined>;

const importers: Record<string, () => ImportInputs> = {
  "gpucloud:gpcn:GpuVm": () => require("../gpcn/importInputs").importInputs,
  "gpucloud:nova:GpuVm": () => require("../nova/importInputs").importInputs,
  "gpucloud:novita:GpuVm": () => require("../novita/importInputs").importInputs,
  "gpucloud:fluence:GpuVm": () => require("../fluence/importInputs").importInputs,
};

export interface Imported {
  id: string;
  props: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

export async function importResource(token: string, handler: ResourceHandler, config: ConfigSource, id: string): Promise<Imported | undefined> {
  const first = await handler.read(config, id, {});
  if (!first.id) return undefined;
  const fromCloud = (await importers[token]?.()(config, id)) ?? first.inputs ?? {};
  const fields = handler.inputSchema ? declaredInputs(handler.inputSchema, { ...first.props, ...first.inputs, ...fromCloud }) : { ...first.inputs, ...fromCloud };
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
  // Defaults filled in as check would, so the state holds what a create with these inputs would.
  const checked = await handler.check(config, clean, clean);
  const inputs = checked.failures?.length ? withDefaults(handler, clean) : (checked.inputs ?? clean);
  const again = await handler.read(config, id, inputs);
  if (!again.id) return undefined;
  return { id: again.id, props: again.props ?? first.props ?? {}, inputs: again.inputs ?? inputs };
}

/** Field by field, so an input the cloud does not report (and check misses) leaves the others' defaults in. */
function withDefaults(handler: ResourceHandler, values: Record<string, unknown>): Record<string, unknown> {
  if (!handler.inputSchema) return values;
  const out: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(handler.inputSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>)) {
    const parsed = schema.safeParse(values[field]);
    const value = parsed.success ? parsed.data : values[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}
