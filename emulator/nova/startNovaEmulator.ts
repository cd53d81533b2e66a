/** Assembles the Nova emulator from the core server and the Nova routes and state. */

import { Clock } from "../core/clock";
import { RateLimiter } from "../core/rateLimiter";
import { Router } from "../core/router";
import { startEmulatorServer } from "../core/server";
import { createAuth } from "./auth";
import { novaErrorBodies } from "./errors";
import { createNovaFaultStore } from "./faultKnobs";
import { registerAccountRoutes } from "./routes/accountRoutes";
import { registerPublicRoutes } from "./routes/publicRoutes";
import { registerSshKeyRoutes, serializeSshKey } from "./routes/sshKeyRoutes";
import { registerVmRoutes } from "./routes/vmRoutes";
import { NovaState } from "./state";
import type { NovaEmulator, NovaEmulatorOptions } from "./types";
import { replan, serializeVm } from "./vmRecord";

export const NOVA_DEFAULT_API_KEY = "nv_test_emulator_key";

/** The documented /auth/me example (nova.md §11) plus a balance. */
const DEFAULT_ACCOUNT = { balance: 100, tier: "standard", maxVms: 3, maxHourlySpend: 8 };

export async function startNovaEmulator(options: NovaEmulatorOptions = {}): Promise<NovaEmulator> {
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? [...options.apiKeys] : [NOVA_DEFAULT_API_KEY];
  const clock = options.clock ?? new Clock({ timeScale: options.timeScale ?? 1 });
  const faults = createNovaFaultStore();
  const rateLimiter = new RateLimiter(options.rateLimit === undefined ? { limit: 60, windowMs: 60_000 } : options.rateLimit);
  const state = new NovaState({
    clock,
    faults,
    seed: options.seed,
    account: { ...DEFAULT_ACCOUNT, ...options.account },
    keepDestroyedVms: options.keepDestroyedVms ?? true,
    provisioningSeconds: options.provisioningSeconds ?? 90,
    startSeconds: options.startSeconds ?? 20,
    stopSeconds: options.stopSeconds ?? 10,
    destroySeconds: options.destroySeconds ?? 15,
  });
  const disabled = new Set<string>(options.unsupportedRoutes ?? []);

  const router = new Router();
  registerPublicRoutes(router, state);
  registerVmRoutes(router, state, disabled);
  registerSshKeyRoutes(router, state, disabled);
  registerAccountRoutes(router, state);

  const vms = () => state.liveVms().map((vm) => serializeVm(vm, clock));
  const sshKeys = () => [...state.sshKeys.values()].map(serializeSshKey);
  const auth = createAuth(apiKeys);
  const server = await startEmulatorServer({
    port: options.port ?? 0,
    host: options.host,
    router,
    errors: novaErrorBodies,
    faults,
    rateLimiter,
    clientKey: auth.clientKey,
    guard: auth.guard,
    logger: options.logger,
    admin: {
      clock,
      state: () => ({ vms: vms(), sshKeys: sshKeys(), account: state.account, counters: state.counters }),
      reset: () => state.reset(),
    },
  });

  const live = (id: string) => {
    const vm = state.vms.get(id);
    return vm && state.status(vm) !== "destroyed" ? vm : undefined;
  };
  const ms = (seconds: number) => Math.max(1, seconds * 1000);

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
    vms,
    sshKeys,
    account: () => ({ ...state.account }),
    setAccount: (patch) => {
      state.account = { ...state.account, ...patch };
    },
    requests: () => server.requests(),
    stats: () => ({ ...server.stats(), ...state.counters }),
    interruptVm: (id) => {
      const vm = live(id);
      if (!vm) return false;
      const restart = vm.autoRestart
        ? [{ status: "starting" as const, afterMs: ms(state.config.startSeconds) }, { status: "running" as const, afterMs: 2 * ms(state.config.startSeconds) }]
        : [];
      replan(vm, clock.emulatedNow(), [{ status: "interrupted", afterMs: 0 }, ...restart]);
      return true;
    },
    setVmOffline: (id, offline) => {
      const vm = live(id);
      if (!vm) return false;
      replan(vm, clock.emulatedNow(), [{ status: offline ? "offline" : "running", afterMs: 0 }]);
      return true;
    },
    destroyVmOutOfBand: (id) => {
      const vm = live(id);
      if (!vm) return false;
      replan(vm, clock.emulatedNow(), [{ status: "destroyed", afterMs: 0 }]);
      state.counters.vmsDestroyed++;
      return true;
    },
    relabelVmOutOfBand: (id, label) => {
      const vm = live(id);
      if (!vm) return false;
      vm.label = label;
      return true;
    },
    reset: () => {
      faults.clear();
      rateLimiter.reset();
      server.resetStats();
      state.reset();
    },
  };
}
