import Ajv2020 from "ajv/dist/2020";
import { clouds } from "../../emulator";
import type { RunningCloud } from "../../emulator/core/cloudEntry";
import { functions } from "../../provider/functions";
import { jsonSchemaOf } from "../../provider/schema/pulumiTypes";

// The schema's function outputs promise a shape to every SDK: each lookup, run against the
// emulators, must return exactly that shape (no missing required field, no wrong type, no field
// the schema does not declare).

const running: Array<{ name: string; cloud: RunningCloud }> = [];
const settings = new Map<string, string>();
const config = { get: (key: string) => settings.get(key) };

beforeAll(async () => {
  for (const name of ["gpcn", "nova", "novita", "fluence"]) {
    const cloud = await clouds[name].start({ port: 0, logger: () => {} });
    running.push({ name, cloud });
    settings.set(`${name}:endpoint`, cloud.url);
    settings.set(`${name}:apiKey`, cloud.apiKey);
  }
}, 30_000);

afterAll(() => Promise.all(running.map((r) => r.cloud.close())));

const ARGS: Record<string, Record<string, unknown>> = {
  "gpucloud:novita:getCheapestProduct": { productName: "RTX 4090", gpuCount: 1 },
  "gpucloud:multicloud:getOffers": { gpu: "H100", gpuCount: 1 },
};

test.each(functions.map((f) => [f.token, f] as const))("%s returns exactly its schema's output shape", async (_token, f) => {
  const result = await f.run(config, f.inputSchema.parse(ARGS[f.token] ?? {}));
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(jsonSchemaOf(f.outputSchema, "output"));
  validate(JSON.parse(JSON.stringify(result))); // as Invoke sends it: undefined fields dropped
  expect(validate.errors ?? []).toEqual([]);
  // Not vacuous: every lookup finds something in the emulators' catalogues.
  expect(Object.values(result).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined))).toBe(true);
});
