import type { GpcnEmulator } from "../../emulator";
import { GPCN_PROGRAM, gpcnConfig, liveVms, newApiKey, startE2eEmulator } from "./gpcnStack";
import { PulumiProject } from "./pulumiProject";

// The README's advice for keeping the API key out of state altogether: set it in the environment
// (GPCN_API_KEY) instead of stack config. The engine then has nothing to record, so even
// `pulumi stack export --show-secrets` holds no key.

const apiKey = newApiKey();
let emulator: GpcnEmulator;
let project: PulumiProject;

beforeAll(async () => {
  emulator = await startE2eEmulator(apiKey);
  const { "gpcn:apiKey": _fromConfig, ...config } = gpcnConfig(emulator, apiKey, "e2e-env-key");
  project = await PulumiProject.nodejs("gpcn-env-key", { files: { "index.ts": GPCN_PROGRAM }, config, env: { GPCN_API_KEY: apiKey } });
}, 120_000);

afterAll(async () => {
  project?.cleanup();
  await emulator?.close();
});

test("with the key in GPCN_API_KEY, up works and no state export holds the key, secrets shown or not", async () => {
  await project.json(["up", "--yes", "--skip-preview"]);
  expect(liveVms(emulator)).toHaveLength(1);
  for (const showSecrets of [false, true]) expect((await project.exportState({ showSecrets })).text).not.toContain(apiKey);
  await project.json(["destroy", "--yes"]);
  expect(liveVms(emulator)).toEqual([]);
}, 300_000);
