import type { z } from "zod";
import type { ConfigSource } from "./settings";

// A lookup (schema function): the native plugin's Invoke dispatches on `token`, the schema
// generator reads `description`, `inputSchema` and `outputSchema`, and the dynamic SDK's
// functions (sdk/*.ts) reach the same code through the modules `run` requires. Results are always
// objects because Invoke answers with a protobuf Struct: a list comes back under a named field.
// The result shapes are the per-cloud outputs.ts schemas, so every language gets typed results.

export interface FunctionDefinition<I extends z.ZodObject<any> = z.ZodObject<any>, O extends z.ZodObject<any> = z.ZodObject<any>> {
  /** `gpucloud:<module>:<name>`, the schema's function token. */
  token: string;
  description: string;
  inputSchema: I;
  /** The shape of the result, for the schema; items of lists are described, not re-validated. */
  outputSchema: O;
  run(config: ConfigSource | undefined, args: z.infer<I>): Promise<Record<string, unknown>>;
}

export function defineFunction<I extends z.ZodObject<any>, O extends z.ZodObject<any>>(def: FunctionDefinition<I, O>): FunctionDefinition {
  return def as unknown as FunctionDefinition;
}
