import { startNovitaEmulator, type NovitaEmulator, type NovitaEmulatorOptions } from "../../emulator";
import { startCloudStack, type CloudStack } from "../harness/cloudStack";
import type { Door } from "../harness/doors";

export const API_KEY = "novita_test_key_5c1e8a92d7b3";

/** A user's program: one RTX 4090 instance with a port, an env and Jupyter. */
export function quickstartProgram(vm: Record<string, unknown> = {}): string {
  const args = {
    name: "trainer",
    productName: "RTX 4090",
    gpuCount: 1,
    rootfsSize: 60,
    imageUrl: "docker.io/pytorch/pytorch:latest",
    ports: [{ port: 8080, type: "http" }],
    envs: [{ key: "MODE", value: "train" }],
    ...vm,
  };
  return `
const { novita } = require("pulumi-gpucloud");
new novita.GpuVm("vm", ${JSON.stringify(args)});
`;
}

export type NovitaStack = CloudStack<NovitaEmulator>;

export function startNovitaStack(opts: { door?: Door; emulator?: NovitaEmulatorOptions; program?: string } = {}): Promise<NovitaStack> {
  return startCloudStack({
    cloud: "novita",
    apiKey: API_KEY,
    startEmulator: () => startNovitaEmulator({ apiKeys: [API_KEY], timeScale: 600, ...opts.emulator }),
    program: opts.program ?? quickstartProgram(),
    door: opts.door,
  });
}
