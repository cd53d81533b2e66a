import { startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { quickstartProgram } from "../gpcn/gpcnStack";
import { captureResources } from "../harness/captureProviders";
import { nativeResources } from "../harness/doors";
import type { HostCallError } from "../harness/dynamicHost";
import { urn } from "../harness/dynamicHost";
import { createProgramDir, REPO_ROOT, type ProgramDir } from "../harness/programDir";
import { startPluginHost, type PluginHost } from "./pluginHost";

// Explicit provider instances: the engine starts one plugin process per instance and configures
// each with its own keys. Two GPCN accounts (two emulators, each knowing only its own key) are
// used side by side from one stack, concurrently. Then every byte the plugins produced — answers,
// errors (including a refused key), engine logs, stdout, stderr — is scanned for the keys.

const KEY_A = "gpcn_account_a_9c1f27d4e8b3";
const KEY_B = "gpcn_account_b_41e6a0c97d25";
const WRONG = "gpcn_wrong_key_5d7e1a3c9b20";

let program: ProgramDir;
let inputs: { key: Record<string, unknown>; vm: Record<string, unknown> };
const emulators: GpcnEmulator[] = [];
const hosts: PluginHost[] = [];
const produced: string[] = [];
const keyUrn = (provider: string) => urn("explicit", "test", "gpucloud:gpcn:SshKey", `key-${provider}`);
const vmUrn = (provider: string) => urn("explicit", "test", "gpucloud:gpcn:GpuVm", `vm-${provider}`);

async function instance(apiKey: string, emulator: GpcnEmulator): Promise<PluginHost> {
  const host = await startPluginHost({ cwd: program.dir, env: { GPCN_API_KEY: "", GPCN_ENDPOINT: "" } });
  hosts.push(host);
  await host.configure({ gpcnApiKey: apiKey, gpcnEndpoint: emulator.url });
  return host;
}

beforeAll(async () => {
  program = createProgramDir("explicit", { packageRoot: REPO_ROOT });
  const [key, vm] = nativeResources(await captureResources(program, quickstartProgram()));
  inputs = { key: key.inputs, vm: vm.inputs };
  emulators.push(await startGpcnEmulator({ apiKeys: [KEY_A], timeScale: 600 }), await startGpcnEmulator({ apiKeys: [KEY_B], timeScale: 600 }));
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await Promise.all(emulators.map((e) => e.close()));
  program.cleanup();
});

test("two provider instances with their own keys create side by side, each in its own account", async () => {
  const [a, b] = [await instance(KEY_A, emulators[0]), await instance(KEY_B, emulators[1])];
  const run = async (host: PluginHost, name: string) => {
    const key = await host.create(keyUrn(name), { ...inputs.key, name: `key-${name}` });
    const vm = await host.create(vmUrn(name), { ...inputs.vm, name: `vm-${name}`, sshKeyId: key.id });
    produced.push(JSON.stringify(key), JSON.stringify(vm));
    return vm;
  };
  const [vmA, vmB] = await Promise.all([run(a, "a"), run(b, "b")]);
  expect(emulators[0].vms().map((v) => v.id)).toEqual([vmA.id]);
  expect(emulators[1].vms().map((v) => v.id)).toEqual([vmB.id]);
  // Each emulator refuses the other's key, so no request of one instance reached the other account.
  expect(emulators[0].requests().filter((r) => r.status === 401)).toEqual([]);
  expect(emulators[1].requests().filter((r) => r.status === 401)).toEqual([]);
});

test("a key the cloud refuses: an auth error that does not repeat the key", async () => {
  const host = await instance(WRONG, emulators[0]);
  const err = (await host.create(keyUrn("wrong"), { ...inputs.key, name: "key-wrong" }).catch((e) => e)) as HostCallError;
  expect(err.message).toMatch(/401|auth|key/i);
  produced.push(err.message, JSON.stringify(err.initFailed ?? {}));
});

test("no key appears in any answer, error, engine log, stdout or stderr of any instance", async () => {
  for (const h of hosts) await h.close();
  const everything = [...produced, ...hosts.flatMap((h) => [...h.stdout, ...h.stderr, ...h.engineLogs.map((l) => l.message)])].join("\n");
  expect(produced.length).toBeGreaterThanOrEqual(3);
  for (const key of [KEY_A, KEY_B, WRONG]) expect(everything).not.toContain(key);
  expect(hosts.every((h) => h.stdout.length === 0)).toBe(true);
});
