import { z } from "zod";

// zod → Pulumi package-schema types. zod's own JSON Schema export (z.toJSONSchema) walks the zod
// types; this file maps that JSON Schema onto the narrower Pulumi type system: primitives,
// arrays, maps, unions, and object and enum types that must be named under `types`.

/** A Pulumi typeSpec or propertySpec (pkg/codegen/schema/pulumi.json, $defs/propertySpec). */
export interface PropertySpec {
  type?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  oneOf?: PropertySpec[];
  $ref?: string;
  const?: string | number | boolean;
  description?: string;
  secret?: boolean;
  replaceOnChanges?: boolean;
  willReplaceOnChanges?: boolean;
  defaultInfo?: { environment: string[] };
}

export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface EnumTypeSpec {
  type: "string" | "integer" | "number" | "boolean";
  description?: string;
  enum: Array<{ value: string | number | boolean; name?: string }>;
}

export type ComplexTypeSpec = ObjectTypeSpec | EnumTypeSpec;

/** The subset of JSON Schema that z.toJSONSchema emits for our schemas. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: Array<string | number | boolean>;
  const?: string | number | boolean;
  default?: unknown;
  description?: string;
  secret?: boolean;
  [k: string]: unknown;
}

export const ANY: PropertySpec = { $ref: "pulumi.json#/Any" };

/** zod object → JSON Schema, as the user writes it (`input`: defaults make fields optional) or as stored (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Refinements and transforms are not representable; they keep validating in check, the schema shows the base type.
  return z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
}

/**
 * Named types of one package, by token. The same token registered twice must mean the same
 * type; enums with the same values in one module share one type.
 */
export class TypeRegistry {
  readonly types: Record<string, ComplexTypeSpec> = {};

  constructor(private readonly pkg: string) {}

  register(module: string, name: string, spec: ComplexTypeSpec): string {
    if ("enum" in spec) {
      const same = Object.entries(this.types).find(
        ([token, t]) => token.startsWith(`${this.pkg}:${module}:`) && "enum" in t && sameJson(t.enum, spec.enum),
      );
      if (same) return same[0];
    }
    const token = `${this.pkg}:${module}:${name}`;
    const existing = this.types[token];
    if (existing && !sameJson(existing, spec)) throw new Error(`schema: two different types want the name ${token}`);
    this.types[token] = spec;
    return token;
  }
}

export interface MappingContext {
  registry: TypeRegistry;
  module: string;
  /** Type name for an object or enum found at this property path (`ports`, `ports.type`). */
  nameFor: (path: string[]) => string;
  /** Docs of a named object type and of its members (the SDK's interface of that name), if any. */
  docOf?: (typeName: string, member?: string) => string | undefined;
}

/** One JSON Schema property → a Pulumi propertySpec, naming object and enum types on the way. */
export function toPropertySpec(js: JsonSchema, ctx: MappingContext, path: string[]): PropertySpec {
  const spec = toTypeSpec(js, ctx, path);
  // A list's items carry no description of their own in Pulumi: say it on the list.
  const itemNote = !js.description && js.items?.description ? `Each item: ${js.items.description}` : undefined;
  const notes = [js.description ?? itemNote, constraintNote(js)].filter(Boolean).join(" ");
  return { ...spec, ...(notes ? { description: notes } : {}), ...(js.secret ? { secret: true } : {}) };
}

function toTypeSpec(js: JsonSchema, ctx: MappingContext, path: string[]): PropertySpec {
  const alternatives = js.anyOf ?? js.oneOf;
  if (alternatives) {
    const consts = alternatives.map((a) => a.const);
    if (consts.every((c) => typeof c === "number" && Number.isInteger(c))) return { type: "integer" }; // 1 | 2 | 4 | 8: listed in the description
    if (consts.every((c) => typeof c === "string")) return enumRef(consts as string[], ctx, path);
    const members = alternatives.map((a) => toTypeSpec(a, ctx, path));
    return { oneOf: members };
  }
  if (js.enum) return enumRef(js.enum as string[], ctx, path);
  if (js.const !== undefined) return { type: typeof js.const === "number" ? "number" : typeof js.const, const: js.const };
  switch (js.type) {
    case "string":
    case "integer":
    case "number":
    case "boolean":
      return { type: js.type };
    case "array":
      // An item of `ports` is a Port: its types are named after the singular.
      return { type: "array", items: js.items ? toTypeSpec(js.items, ctx, [...path.slice(0, -1), singular(path[path.length - 1] ?? "item")]) : ANY };
    case "object":
      if (js.properties) {
        const name = ctx.nameFor(path);
        return { $ref: `#/types/${ctx.registry.register(ctx.module, name, namedObjectType(js, ctx, path, name))}` };
      }
      return { type: "object", additionalProperties: typeof js.additionalProperties === "object" ? toTypeSpec(js.additionalProperties, ctx, path) : ANY };
    default:
      return ANY;
  }
}

/** A JSON Schema object → a Pulumi object type (properties and required). */
export function objectType(js: JsonSchema, ctx: MappingContext, path: string[], description?: string): ObjectTypeSpec {
  const properties = Object.fromEntries(
    Object.entries(js.properties ?? {}).map(([name, p]) => [name, toPropertySpec(p, ctx, [...path, name])]),
  );
  return {
    type: "object",
    ...(description ?? js.description ? { description: description ?? js.description } : {}),
    properties,
    ...(js.required?.length ? { required: [...js.required] } : {}),
  };
}

/** An object type under `types`: its own docs (not the referring property's), members documented from the SDK. */
function namedObjectType(js: JsonSchema, ctx: MappingContext, path: string[], name: string): ObjectTypeSpec {
  const members = Object.fromEntries(
    Object.entries(js.properties ?? {}).map(([m, p]) => [m, { ...p, description: ctx.docOf?.(name, m) ?? p.description }]),
  );
  const { description: _propertyDoc, ...rest } = js;
  return objectType({ ...rest, properties: members }, ctx, path, ctx.docOf?.(name));
}

function enumRef(values: Array<string | number | boolean>, ctx: MappingContext, path: string[]): PropertySpec {
  const spec: EnumTypeSpec = { type: "string", enum: values.map((value) => ({ value })) };
  return { $ref: `#/types/${ctx.registry.register(ctx.module, ctx.nameFor(path), spec)}` };
}

/** What the Pulumi type loses (`1 | 2 | 4 | 8` becomes integer) and a default the words above do not give. */
function constraintNote(js: JsonSchema): string {
  const consts = (js.anyOf ?? []).map((a) => a.const);
  const parts: string[] = [];
  if (consts.length && consts.every((c) => typeof c === "number")) parts.push(`One of ${consts.join(", ")}.`);
  if (js.default !== undefined && !/default/i.test(js.description ?? "")) parts.push(`Default: \`${JSON.stringify(js.default)}\`.`);
  return parts.join(" ");
}

function singular(s: string): string {
  return s.length > 3 && s.endsWith("s") && !s.endsWith("ss") ? s.slice(0, -1) : s;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
