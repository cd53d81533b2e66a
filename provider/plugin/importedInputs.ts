import { declaredInputs, type ResourceHandler } from "../core/resourceHandler";

// `pulumi import` reads a resource knowing only its id; the engine needs inputs back, checks them
// (Check(inputs, inputs)), writes them into the generated program and diffs them against the
// outputs. The inputs are the declared-input fields the read filled in from the cloud.

export function importedInputs(token: string, handler: ResourceHandler, props: Record<string, unknown>): Record<string, unknown> {
  const fields = handler.inputSchema ? Object.keys(handler.inputSchema.shape) : Object.keys(handler.rules.fields);
  const inputs = handler.inputSchema ? declaredInputs(handler.inputSchema, props) : pick(props, fields);
  void token;
  return inputs;
}

function pick(props: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => props[f] !== undefined).map((f) => [f, props[f]]));
}
