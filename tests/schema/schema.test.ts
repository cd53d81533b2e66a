import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { handlerFor, resourceTypes } from "../../provider/index";
import { functions } from "../../provider/functions";
import { schemaText } from "../../provider/schema/packageSchema";
import { readSdkDocs } from "../../provider/schema/sdkDocs";
import { metaschemaPath } from "./pulumiMetaschema";

const root = path.resolve(__dirname, "../..");
const committed = fs.readFileSync(path.join(root, "schema.json"), "utf8");
const schema = JSON.parse(committed);
const sdk = readSdkDocs(path.join(root, "sdk"));

const TOKENS = [
  "gpucloud:gpcn:GpuVm",
  "gpucloud:gpcn:SshKey",
  "gpucloud:nova:GpuVm",
  "gpucloud:nova:SshKey",
  "gpucloud:novita:GpuVm",
  "gpucloud:fluence:GpuVm",
  "gpucloud:fluence:SshKey",
  "gpucloud:multicloud:GpuVm",
];

describe("schema.json", () => {
  test("is what `npm run schema` generates now (run it after changing inputs, rules, outputs, functions or SDK docs)", () => {
    expect(committed).toBe(schemaText(root));
  });

  test("is valid against Pulumi's package metaschema (codegen/schema/pulumi.json of the pinned pkg/v3)", () => {
    const metaschema = JSON.parse(fs.readFileSync(metaschemaPath(), "utf8"));
    // strict off: the metaschema uses keywords ajv's strict mode flags ($comment next to oneOf…).
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv); // the metaschema checks `$ref` as uri-reference and moduleFormat as regex
    const validate = ajv.compile(metaschema);
    const valid = validate(schema);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test("the metaschema check catches a broken schema (a bad token, a type with no kind)", () => {
    const metaschema = JSON.parse(fs.readFileSync(metaschemaPath(), "utf8"));
    const validate = addFormats(new Ajv2020({ strict: false })).compile(metaschema);
    const broken = structuredClone(schema);
    broken.resources["gpucloud:0bad token"] = broken.resources["gpucloud:gpcn:GpuVm"];
    expect(validate(broken)).toBe(false);
    const noKind = structuredClone(schema);
    noKind.resources["gpucloud:gpcn:GpuVm"].inputProperties.name = { type: "stringish" };
    expect(validate(noKind)).toBe(false);
  });

  test("names the package gpucloud, at the package version, with the language sections", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(schema.name).toBe("gpucloud");
    expect(schema.version).toBe(pkg.version);
    expect(schema.language.nodejs.packageName).toBe("@pulumi-gpucloud/gpucloud");
    expect(schema.language.nodejs.packageName).not.toBe(pkg.name); // the npm package holds the dynamic SDK and the plugin
    expect(schema.language.python.packageName).toBe("pulumi_gpucloud");
    expect(schema.language.go.importBasePath).toBe("github.com/pulumi-gpucloud/pulumi-gpucloud/sdk/go/gpucloud");
    expect(schema.language.csharp.rootNamespace).toBeTruthy();
  });

  test("has exactly the eight resource tokens, one per registry type", () => {
    expect(Object.keys(schema.resources).sort()).toEqual([...TOKENS].sort());
    expect(resourceTypes.map((t) => `gpucloud:${t}`).sort()).toEqual([...TOKENS].sort());
  });

  test.each(TOKENS)("%s: input names are the dynamic SDK's, required inputs are check's minus name", (token) => {
    const [, module, name] = token.split(":");
    const spec = schema.resources[token];
    const handler = handlerFor(`${module}:${name}`);
    const shape = Object.keys((handler.inputSchema ?? require("../../provider/multicloud/inputs").multicloudInputs).shape);
    expect(Object.keys(spec.inputProperties).sort()).toEqual([...shape].sort());
    expect(Object.keys(spec.inputProperties).sort()).toEqual([...sdk.members(module, `${name}Args`)].sort());
    expect(spec.requiredInputs ?? []).not.toContain("name");
    // Every output the SDK class declares is an output of the schema.
    for (const output of sdk.members(module, name)) expect(Object.keys(spec.properties)).toContain(output);
  });

  test.each(TOKENS)("%s: replaceOnChanges is exactly the fields the rule table replaces on", (token) => {
    const [, module, name] = token.split(":");
    const rules = handlerFor(`${module}:${name}`).rules.fields;
    const spec = schema.resources[token];
    const marked = Object.keys(spec.inputProperties).filter((p) => spec.inputProperties[p].replaceOnChanges);
    const replacing = Object.keys(rules).filter((f) => rules[f].change === "replace");
    expect(marked.sort()).toEqual(replacing.sort());
    for (const f of marked) expect(spec.properties[f].replaceOnChanges).toBe(true);
    for (const f of replacing) expect(spec.inputProperties[f].description).toContain((rules[f] as { why: string }).why);
  });

  test("marks today's secrets secret, inputs and outputs alike, and nothing else", () => {
    const secrets = (token: string, where: "inputProperties" | "properties") =>
      Object.entries(schema.resources[token][where] as Record<string, { secret?: boolean }>).filter(([, p]) => p.secret).map(([n]) => n).sort();
    expect(secrets("gpucloud:gpcn:SshKey", "properties")).toEqual(["passphrase", "privateKey"]);
    expect(secrets("gpucloud:gpcn:SshKey", "inputProperties")).toEqual(["passphrase"]);
    expect(secrets("gpucloud:nova:GpuVm", "inputProperties")).toEqual(["password"]);
    expect(secrets("gpucloud:novita:GpuVm", "properties")).toEqual(["imageAuth", "sshPassword", "webTerminalPassword"]);
    expect(secrets("gpucloud:multicloud:GpuVm", "properties")).toEqual(["chosenOffer", "imageAuth", "password", "sshPassword", "webTerminalPassword"]);
    for (const token of ["gpucloud:gpcn:GpuVm", "gpucloud:nova:SshKey", "gpucloud:fluence:GpuVm", "gpucloud:fluence:SshKey"]) {
      expect(secrets(token, "properties")).toEqual([]);
    }
  });

  test("provider config: four API keys secret, four endpoints, their plain-http opt-ins and request budgets, each naming its environment variable, and the cost keys", () => {
    const vars = schema.config.variables;
    expect(Object.keys(vars).sort()).toEqual(
      [...["gpcn", "nova", "novita", "fluence"].flatMap((c) => [`${c}ApiKey`, `${c}Endpoint`, `${c}AllowInsecureEndpoint`, `${c}RequestsPerMinute`]), "gpcnPriceTable", "maxStackPricePerHour"].sort(),
    );
    expect(vars.novaAllowInsecureEndpoint).toMatchObject({ type: "boolean", defaultInfo: { environment: ["NOVA_ALLOW_INSECURE_ENDPOINT"] } });
    expect(vars.fluenceRequestsPerMinute).toMatchObject({ type: "integer", defaultInfo: { environment: ["FLUENCE_REQUESTS_PER_MINUTE"] } });
    expect(vars.gpcnPriceTable).toMatchObject({ type: "object", additionalProperties: { type: "number" } });
    expect(vars.maxStackPricePerHour.secret).toBeUndefined();
    expect(vars.gpcnApiKey).toMatchObject({ type: "string", secret: true, defaultInfo: { environment: ["GPCN_API_KEY"] } });
    expect(vars.novitaEndpoint.defaultInfo.environment).toEqual(["NOVITA_ENDPOINT"]);
    expect(vars.novaEndpoint.secret).toBeUndefined();
    expect(Object.keys(schema.provider.inputProperties).sort()).toEqual(Object.keys(vars).sort());
    expect(schema.provider.inputProperties.fluenceApiKey.secret).toBe(true);
    // An API key is never a provider output.
    expect(Object.keys(schema.provider.properties).filter((k) => k.endsWith("ApiKey"))).toEqual([]);
  });

  test("has one function per registry lookup, with its inputs", () => {
    expect(Object.keys(schema.functions).sort()).toEqual(functions.map((f) => f.token).sort());
    expect(Object.keys(schema.functions["gpucloud:multicloud:getOffers"].inputs.properties)).toEqual(
      Object.keys(functions.find((f) => f.token === "gpucloud:multicloud:getOffers")!.inputSchema.shape),
    );
    expect(schema.functions["gpucloud:gpcn:getInventory"].outputs.properties.offers.type).toBe("array");
  });

  test("nested inputs are named object types; string choices are enums", () => {
    const novita = schema.resources["gpucloud:novita:GpuVm"].inputProperties;
    expect(novita.ports).toMatchObject({ type: "array", items: { $ref: "#/types/gpucloud:novita:Port" } });
    expect(schema.types["gpucloud:novita:Port"].required).toEqual(["port", "type"]);
    expect(schema.types["gpucloud:novita:BillingMode"].enum.map((e: { value: string }) => e.value)).toEqual(["onDemand", "monthly", "spot"]);
    const multicloud = schema.resources["gpucloud:multicloud:GpuVm"].inputProperties;
    expect(multicloud.policy.$ref).toBe("#/types/gpucloud:multicloud:CapacityPolicy");
    expect(multicloud.offers.items.$ref).toBe("#/types/gpucloud:multicloud:OfferChoice");
    // An offer's inputs are whatever that cloud's GpuVm takes: a map of anything.
    expect(schema.types["gpucloud:multicloud:OfferChoice"].properties.inputs).toMatchObject({ type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } });
    // Every $ref points at a defined type.
    for (const ref of committed.match(/"#\/types\/[^"]+"/g) ?? []) expect(schema.types[ref.slice(9, -1)]).toBeDefined();
  });

  test("descriptions carry the SDK's words and the rule table's consequence", () => {
    const gpcn = schema.resources["gpucloud:gpcn:GpuVm"];
    expect(gpcn.description).toMatch(/GPU virtual machine on GPCN/);
    expect(gpcn.inputProperties.seriesCode.description).toMatch(/resolved through the inventory at create.*Changing it replaces the resource: GPCN cannot change a VM's GPU series/);
    expect(schema.resources["gpucloud:novita:GpuVm"].inputProperties.imageUrl.description).toMatch(/in place .*resets the machine/);
  });

  test.each(["gpcn", "nova", "novita", "fluence", "multicloud"])(
    "sdk/%s.ts: every output slot the dynamic SDK declares is a schema output; its secret outputs are the schema's secrets",
    (module) => {
      const { slots, secrets } = dynamicSdkOutputs(path.join(root, "sdk", `${module}.ts`));
      const tokens = TOKENS.filter((t) => t.split(":")[1] === module);
      const properties = new Set(tokens.flatMap((t) => Object.keys(schema.resources[t].properties)));
      const secretProperties = new Set(tokens.flatMap((t) => Object.entries(schema.resources[t].properties).filter(([, p]: [string, any]) => p.secret).map(([n]) => n)));
      expect(slots.length).toBeGreaterThan(0);
      expect(slots.filter((n) => !properties.has(n))).toEqual([]);
      expect([...new Set(secrets)].sort()).toEqual([...secretProperties].sort());
    },
  );
});

/** String literals the SDK passes to outputSlots(...) (directly or through a *OUTPUTS constant) and to additionalSecretOutputs. */
function dynamicSdkOutputs(file: string): { slots: string[]; secrets: string[] } {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const constants = new Map<string, string[]>();
  const strings = (node: ts.Node | undefined): string[] => {
    if (!node) return [];
    if (ts.isIdentifier(node)) return constants.get(node.text) ?? [];
    const inner = ts.isAsExpression(node) ? node.expression : node;
    return ts.isArrayLiteralExpression(inner) ? inner.elements.filter(ts.isStringLiteral).map((e) => e.text) : [];
  };
  const slots: string[] = [];
  const secrets: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) constants.set(node.name.text, strings(node.initializer));
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "outputSlots") slots.push(...strings(node.arguments[0]));
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "additionalSecretOutputs") secrets.push(...strings(node.initializer));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { slots, secrets };
}

