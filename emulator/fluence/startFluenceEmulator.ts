/** Assembles the Fluence emulator from the shared emulator core and the Fluence routes and state. */

import { startCloudEmulator } from "../core/cloudEmulator";
import { createAuth } from "./auth";
import { fluenceErrorBodies } from "./envelope";
import { createFluenceFaultStore } from "./faultKnobs";
import { instanceStatus, serializeInstance } from "./instanceRecord";
import { registerInstanceRoutes } from "./routes/instanceRoutes";
import { registerPlanRoutes } from "./routes/planRoutes";
import { registerSshKeyRoutes } from "./routes/sshKeyRoutes";
import { serializeSshKey } from "./sshKeyRecord";
import { FluenceState } from "./state";
import type { FluenceEmulator, FluenceEmulatorOptions } from "./types";

export const FLUENCE_DEFAULT_API_KEY = "fluence_test_key";

export async function startFluenceEmulator(options: FluenceEmulatorOptions = {}): Promise<FluenceEmulator> {
  const faults = createFluenceFaultStore();
  const instances = (state: FluenceState) => {
    state.settle();
    return [...state.instances.values()].map((i) => serializeInstance(i, state.clock));
  };
  const sshKeys = (state: FluenceState) => [...state.sshKeys.values()].map(serializeSshKey);
  const { base, state } = await startCloudEmulator({
    options,
    defaultApiKey: FLUENCE_DEFAULT_API_KEY,
    defaultRateLimit: null, // Fluence publishes no limit
    apiPrefix: "",
    faults,
    errors: fluenceErrorBodies,
    auth: createAuth,
    state: (shared) =>
      new FluenceState({
        ...shared,
        provisioningSeconds: options.provisioningSeconds ?? 150,
        initialBalance: options.balance ?? 1000,
      }),
    routes: (router, s) => {
      registerPlanRoutes(router, s);
      registerInstanceRoutes(router, s);
      registerSshKeyRoutes(router, s);
    },
    adminState: (s) => ({ instances: instances(s), sshKeys: sshKeys(s), balance: s.balance, counters: s.counters }),
  });
  const clock = base.clock;

  return {
    ...base,
    instances: () => instances(state),
    sshKeys: () => sshKeys(state),
    balance: () => {
      state.settle();
      return state.balance;
    },
    setBalance: (usdc) => {
      state.balance = usdc;
    },
    activateInstance: (id) => {
      const i = state.instances.get(id);
      if (!i || instanceStatus(i, clock) !== "INITIALIZED") return false;
      i.readyAtEmulated = clock.emulatedNow();
      return true;
    },
    endInstanceOutOfBand: (id) => {
      const i = state.instances.get(id);
      if (!i || i.endedAtEmulated !== undefined) return false;
      state.terminate(i);
      return true;
    },
    renameInstanceOutOfBand: (id, name) => {
      const i = state.instances.get(id);
      if (!i) return false;
      i.name = name;
      i.updatedAtWall = clock.wallNow();
      return true;
    },
    withdrawOption: (optionId) => {
      const before = state.options.length;
      state.options = state.options.filter((o) => o.id !== optionId);
      return state.options.length < before;
    },
    setDuplicateKeyAnswer: (answer) => {
      state.duplicateKeyAnswer = answer;
    },
  };
}
