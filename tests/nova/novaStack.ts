import { generateKeyPairSync } from "crypto";
import { startNovaEmulator, type NovaEmulator, type NovaEmulatorOptions } from "../../emulator";
import { openSshPublicKeyText } from "../../emulator/core/sshPublicKey";
import { startCloudStack, type CloudStack } from "../harness/cloudStack";
import type { Door } from "../harness/doors";

export const API_KEY = "nv_live_test_3f9a1c7e2b5d8a06";
export const PASSWORD = "correct-horse-battery-staple";

export function newPublicKey(comment = "me@laptop"): string {
  return openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, comment);
}
export const PUBLIC_KEY = newPublicKey();

// Nova publishes no rate numbers; the client's conservative default (60/min) would make these
// tests wait, so they raise it the way a user would (the host inherits this environment).
process.env.NOVA_REQUESTS_PER_MINUTE = "1200";

/** A user's program: one uploaded key and a 4090 VM on the cheapest node that uses it… */
export function keyAndVmProgram(): string {
  return `
const { nova } = require("pulumi-gpucloud");
const key = new nova.SshKey("key", { name: "laptop", publicKey: ${JSON.stringify(PUBLIC_KEY)} });
new nova.GpuVm("vm", { name: "trainer", gpuType: "4090", gpuCount: 1, storageGb: 100, sshKeyId: key.id });
`;
}

/** …plus a password-auth ComfyUI VM. */
export function quickstartProgram(): string {
  return `${keyAndVmProgram()}
new nova.GpuVm("pw", { name: "pw-box", gpuType: "RTX 5090", gpuCount: 1, storageGb: 50, templateVmid: "comfyui", authMethod: "password", password: ${JSON.stringify(PASSWORD)} });
`;
}

export type NovaStack = CloudStack<NovaEmulator>;

/** Roomy quotas and fast time, so scenarios are about behaviour, not about the defaults. */
export const TEST_EMULATOR: NovaEmulatorOptions = {
  apiKeys: [API_KEY],
  timeScale: 600,
  rateLimit: null,
  account: { balance: 10_000, maxVms: 50, maxHourlySpend: 500 },
};

export function startNovaStack(opts: { door?: Door; emulator?: NovaEmulatorOptions; program?: string } = {}): Promise<NovaStack> {
  return startCloudStack({
    cloud: "nova",
    apiKey: API_KEY,
    startEmulator: () => startNovaEmulator({ ...TEST_EMULATOR, ...opts.emulator }),
    program: opts.program ?? quickstartProgram(),
    door: opts.door,
  });
}
