/** Assembles the Fluence emulator from the core server and the Fluence routes and state. */

import { Clock } from "../core/clock";
import { RateLimiter } from "../core/rateLimiter";
import { Router } from "../core/router";
import { startEmulatorServer } from "../core/server";
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
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? [...options.apiKeys] : [FLUENCE_DEFAULT_API_KEY];
  const clock = options.clock ?? new Clock({ timeScale: options.timeScale ?? 1 });
  const faults = createFluenceFaultStore();
  const rateLimiter = new RateLimiter(options.rateLimit ?? null);
  const state = new FluenceState({
    clock,
    faults,
    seed: options.seed,
    provisioningSeconds: options.provisioningSeconds ?? 150,
    initialBalance: options.balance ?? 1000,
  });

  const router = new Router();
  registerPlanRoutes(router, state);
  registerInstanceRoutes(router, state);
  registerSshKeyRoutes(router, state);

  const instances = () => {
    state.settle();
    return [...state.instances.values()].map((i) => serializeInstance(i, clock));
  };
  const sshKeys = () => [...state.sshKeys.values()].map(serializeSshKey);

  const auth = createAuth(apiKeys);
  const server = await startEmulatorServer({
    port: options.port ?? 0,
    host: options.host,
    router,
    errors: fluenceErrorBodies,
    faults,
    rateLimiter,
    clientKey: auth.clientKey,
    guard: auth.guard,
    logger: options.logger,
    admin: {
      clock,
      state: () => ({ instances: instances(), sshKeys: sshKeys(), balance: state.balance, counters: state.counters }),
      reset: () => state.reset(),
    },
  });

  return {
    url: server.origin,
    adminUrl: server.origin,
    port: server.port,
    apiKeys,
    clock,
    faults,
    close: () => server.close(),
    setTimeScale: (timeScale) => clock.setTimeScale(timeScale),
    setRateLimit: (config) => rateLimiter.configure(config),
    instances,
    sshKeys,
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
    requests: () => server.requests(),
    stats: () => ({ ...server.stats(), ...state.counters }),
    reset: () => {
      faults.clear();
      rateLimiter.reset();
      server.resetStats();
      state.reset();
    },
  };
}
