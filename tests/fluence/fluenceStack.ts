import { generateKeyPairSync } from "node:crypto";
import { fluencePlanOptions, startFluenceEmulator, type FluenceEmulator, type FluenceEmulatorOptions } from "../../emulator";
import { openSshPublicKeyText } from "../../emulator/core/sshPublicKey";
import { startCloudStack, type CloudStack } from "../harness/cloudStack";
import type { Door } from "../harness/doors";

export const API_KEY = "fluence_test_key_5e8d2a7c91b3";

export const newPublicKey = (comment = "me@laptop") => openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, comment);
export const PUBLIC_KEY = newPublicKey();

/** The cheapest h100 ×1 VM option in the emulator's catalog: what a selection must resolve to. */
export const CHEAPEST_H100 = fluencePlanOptions
  .filter((o) => o.kind === "vm" && o.gpuModel.model === "h100" && o.gpuCount === 1)
  .sort((a, b) => a.pricePerHour - b.pricePerHour)[0];

/** A user's program: a key in the library, and a VM that is given its public key. */
export function quickstartProgram(vm: Record<string, unknown> = {}): string {
  const args = { name: "trainer", gpuModel: "h100", gpuCount: 1, osImage: CHEAPEST_H100.osOptions[0], ...vm };
  return `
const { fluence } = require("pulumi-gpucloud");
const key = new fluence.SshKey("key", { publicKey: ${JSON.stringify(PUBLIC_KEY)} });
new fluence.GpuVm("vm", { ...${JSON.stringify(args)}, sshPublicKey: key.publicKey });
`;
}

export type FluenceStack = CloudStack<FluenceEmulator>;

export function startFluenceStack(opts: { door?: Door; emulator?: FluenceEmulatorOptions; program?: string } = {}): Promise<FluenceStack> {
  return startCloudStack({
    cloud: "fluence",
    apiKey: API_KEY,
    // 150 s of provisioning take 0.25 s.
    startEmulator: () => startFluenceEmulator({ apiKeys: [API_KEY], timeScale: 600, ...opts.emulator }),
    program: opts.program ?? quickstartProgram(),
    door: opts.door,
  });
}
