import * as fs from "fs";
import * as path from "path";
import { cloudNames } from "../clouds";
import { handlerFor } from "../index";
import { functions } from "../functions";
import { offerClouds, offerSourceFor } from "../offers/offerSources";
import { jsonSchemaOf, MappingContext, objectType, ObjectTypeSpec, PropertySpec, toPropertySpec, TypeRegistry } from "./pulumiTypes";
import { resourceParts, ResourceParts } from "./resourceParts";
import { alwaysReplaces, ruleSentence } from "./ruleDocs";
import { readSdkDocs, SdkDocs } from "./sdkDocs";

// The Pulumi package schema of `gpucloud` (schema.json at the package root), generated from the
// same zod schemas and rule tables that check and diff run on, the output schemas in each
// cloud's outputs.ts, the function registry and the dynamic SDK's JSDoc. `npm run schema`
// rewrites schema.json; tests/schema fails when the committed file is stale.

export const PACKAGE = "gpucloud";

/** Object types named after the SDK's own interfaces rather than their property. */
const TYPE_NAMES: Record<string, string> = {
  "multicloud:offer": "OfferChoice",
  "multicloud:policy": "CapacityPolicy",
};

export interface BuildOptions {
  /** The package root: package.json (name, version, license) and sdk/ are read from here. */
  root: string;
}

export function buildPackageSchema({ root }: BuildOptions): Record<string, unknown> {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const docs = readSdkDocs(path.join(root, "sdk"));
  const registry = new TypeRegistry(PACKAGE);
  const resources = Object.fromEntries(resourceParts().map((r) => [`${PACKAGE}:${r.module}:${r.name}`, resourceSpec(r, registry, docs)]));
  const fns = Object.fromEntries(functions.map((f) => [f.token, functionSpec(f, registry)]));
  const { variables, inputProperties, properties } = providerConfig();
  return {
    name: PACKAGE,
    displayName: "GPU Cloud",
    version: pkg.version,
    description: "GPU virtual machines and SSH keys on GPCN, Nova Cloud, Novita and Fluence, and one GPU VM on whichever cloud has capacity.",
    keywords: ["pulumi", "gpu", ...cloudNames, "category/cloud", "kind/native"],
    license: pkg.license,
    config: { variables },
    provider: {
      description: "Credentials and endpoints of the four clouds. Each setting falls back to its environment variable, read by the plugin so a key from the environment never enters the state.",
      inputProperties,
      properties,
    },
    resources,
    functions: fns,
    types: sortedByKey(registry.types),
    language: {
      // `pulumi-gpucloud` on npm is this repository's own package (dynamic SDK, plugin, emulator);
      // the SDK generated from this schema gets a scoped name so the two never clash.
      nodejs: { packageName: "@pulumi-gpucloud/gpucloud" },
      python: { packageName: "pulumi_gpucloud", pyproject: { enabled: true } },
      go: { importBasePath: "github.com/pulumi-gpucloud/pulumi-gpucloud/sdk/go/gpucloud" },
      csharp: {
        rootNamespace: "PulumiGpuCloud",
        // Each registered cloud's module is its name capitalized (gpcn → Gpcn).
        namespaces: Object.fromEntries([["gpucloud", "GpuCloud"], ...[...cloudNames, "multicloud"].map((m) => [m, m[0].toUpperCase() + m.slice(1)])]),
      },
    },
  };
}

function resourceSpec(r: ResourceParts, registry: TypeRegistry, docs: SdkDocs) {
  const rules = handlerFor(r.type).rules.fields;
  const ctx = mappingContext(registry, r.module, docs);
  const inJson = jsonSchemaOf(r.inputs, "input");
  const stored = jsonSchemaOf(r.inputs, "output");
  const outJson = jsonSchemaOf(r.outputs, "output");
  const outProps = outJson.properties ?? {};
  const inputProperties: Record<string, PropertySpec> = {};
  for (const [name, js] of Object.entries(inJson.properties ?? {})) {
    const sdkDoc = docs.member(r.module, `${r.name}Args`, name);
    const spec = toPropertySpec({ ...js, description: sdkDoc ?? js.description }, ctx, [name]);
    const rule = rules[name];
    inputProperties[name] = {
      ...spec,
      ...(rule ? { description: [spec.description, ruleSentence(rule, !sdkDoc)].filter(Boolean).join(" ") } : {}),
      ...(outProps[name]?.secret ? { secret: true } : {}),
      ...(alwaysReplaces(rule) ? { replaceOnChanges: true } : {}),
    };
  }
  const outputProperties: Record<string, PropertySpec> = {};
  for (const [name, js] of Object.entries(outProps)) {
    if (inputProperties[name]) continue; // a secret input's namesake only marks it secret
    const doc = js.description ?? docs.member(r.module, r.name, name);
    outputProperties[name] = toPropertySpec({ ...js, description: doc }, ctx, [name]);
  }
  // `name` defaults to the resource's name (the plugin's Check fills it in, as the dynamic SDK does).
  const requiredInputs = (inJson.required ?? []).filter((n) => n !== "name");
  return {
    description: docs.of(r.module, r.name),
    inputProperties,
    ...(requiredInputs.length ? { requiredInputs } : {}),
    properties: { ...inputProperties, ...outputProperties },
    required: [...new Set([...(stored.required ?? []), ...(outJson.required ?? [])])],
  };
}

function functionSpec(f: (typeof functions)[number], registry: TypeRegistry) {
  const [, module, fn] = f.token.split(":");
  // As Pulumi's own providers do, a function's nested types carry its name (GetPlansPlanCount).
  const ctx = mappingContext(registry, module, undefined, pascal(fn));
  const inputs = objectType(jsonSchemaOf(f.inputSchema, "input"), ctx, []);
  const outputs = objectType(jsonSchemaOf(f.outputSchema, "output"), ctx, []);
  return {
    description: f.description,
    ...(Object.keys(inputs.properties).length ? { inputs } : {}),
    outputs: outputs satisfies ObjectTypeSpec,
  };
}

/** Provider config: `<cloud>ApiKey` (secret), `<cloud>Endpoint`, `<cloud>AllowInsecureEndpoint` and `<cloud>RequestsPerMinute` for each cloud, as the plugin's Configure reads them. */
function providerConfig() {
  const variables: Record<string, PropertySpec> = {};
  const inputProperties: Record<string, PropertySpec> = {};
  const properties: Record<string, PropertySpec> = {};
  for (const cloud of offerClouds) {
    const spec = offerSourceFor(cloud).spec;
    const key: PropertySpec = {
      type: "string",
      secret: true,
      description: `${spec.label} API key. Falls back to the environment variable ${spec.envPrefix}_API_KEY.`,
    };
    const endpoint: PropertySpec = {
      type: "string",
      description: `${spec.label} API base URL (default ${spec.defaultEndpoint}), e.g. a local emulator's. Falls back to the environment variable ${spec.envPrefix}_ENDPOINT.`,
    };
    // defaultInfo names the variable for `pulumi config` and the SDKs' config getters. The
    // provider's own inputs leave it out: SDK code would read the key into provider inputs (state).
    variables[`${cloud}ApiKey`] = { ...key, defaultInfo: { environment: [`${spec.envPrefix}_API_KEY`] } };
    variables[`${cloud}Endpoint`] = { ...endpoint, defaultInfo: { environment: [`${spec.envPrefix}_ENDPOINT`] } };
    inputProperties[`${cloud}ApiKey`] = key;
    inputProperties[`${cloud}Endpoint`] = endpoint;
    properties[`${cloud}Endpoint`] = endpoint;
    // core/endpointSafety.ts: plain http:// to another host is refused unless this says true.
    const optIn: PropertySpec = {
      type: "boolean",
      description: `Let \`${cloud}Endpoint\` be plain http:// to a host other than this machine (the ${spec.label} API key then crosses the network in clear text); refused otherwise. Falls back to the environment variable ${spec.envPrefix}_ALLOW_INSECURE_ENDPOINT.`,
    };
    variables[`${cloud}AllowInsecureEndpoint`] = { ...optIn, defaultInfo: { environment: [`${spec.envPrefix}_ALLOW_INSECURE_ENDPOINT`] } };
    inputProperties[`${cloud}AllowInsecureEndpoint`] = optIn;
    properties[`${cloud}AllowInsecureEndpoint`] = optIn;
    // core/rateLimiter.ts: a number the user sets is a hard budget, never adapted.
    const budget: PropertySpec = {
      type: "integer",
      description: `Requests per minute this provider sends to ${spec.label} with this key (a hard budget; by default ${spec.label}'s published limit where it has one, else a starting point adapted to its 429 answers). Falls back to the environment variable ${spec.envPrefix}_REQUESTS_PER_MINUTE.`,
    };
    variables[`${cloud}RequestsPerMinute`] = { ...budget, defaultInfo: { environment: [`${spec.envPrefix}_REQUESTS_PER_MINUTE`] } };
    inputProperties[`${cloud}RequestsPerMinute`] = budget;
    properties[`${cloud}RequestsPerMinute`] = budget;
  }
  // Cost control (core/pricing.ts): plain, not secret, no environment fallback.
  const priceTable: PropertySpec = {
    type: "object",
    additionalProperties: { type: "number" },
    description: "GPCN publishes no prices: SKU code → USD per hour for the whole VM, shown as a gpcn GpuVm's `pricePerHour` and used by the budget guard.",
  };
  const stackCap: PropertySpec = {
    type: "number",
    description: "The budget guard for every GpuVm of this provider: check refuses a machine whose price per hour is over this cap (USD).",
  };
  for (const [key, spec] of [["gpcnPriceTable", priceTable], ["maxStackPricePerHour", stackCap]] as const) {
    variables[key] = spec;
    inputProperties[key] = spec;
    properties[key] = spec;
  }
  return { variables, inputProperties, properties };
}

function mappingContext(registry: TypeRegistry, module: string, docs?: SdkDocs, prefix = ""): MappingContext {
  // The SDK declares a nested input as `<Type>Args` (PortArgs) or `<Type>` (CapacityPolicy).
  const sdkName = (type: string) => [`${type}Args`, type].find((n) => docs?.members(module, n).length);
  return {
    registry,
    module,
    nameFor: (p) => (prefix ? undefined : TYPE_NAMES[`${module}:${p.join(".")}`]) ?? prefix + p.map(pascal).join(""),
    docOf: (type, member) => {
      const declared = sdkName(type);
      if (!declared || !docs) return undefined;
      return member ? docs.member(module, declared, member) : docs.of(module, declared);
    },
  };
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sortedByKey<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** The schema as committed: stable key order, two-space indent, final newline. */
export function schemaText(root: string): string {
  return JSON.stringify(buildPackageSchema({ root }), null, 2) + "\n";
}
