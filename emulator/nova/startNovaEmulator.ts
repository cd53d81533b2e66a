/** Assembles the Nova emulator from the shared emulator core and the Nova routes and state. */

import { startCloudEmulator } from "../core/cloudEmulator";
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
  const faults = createNovaFaultStore();
  const disabled = new Set<string>(options.unsupportedRoutes ?? []);
  const vms = (state: NovaState) => state.liveVms().map((vm) => serializeVm(vm, state.clock));
  const sshKeys = (state: NovaState) => [...state.sshKeys.values()].map(serializeSshKey);
  const { base, state } = await startCloudEmulator({
    options,
    defaultApiKey: NOVA_DEFAULT_API_KEY,
    defaultRateLimit: { limit: 60, windowMs: 60_000 },
    apiPrefix: "",
    faults,
    errors: novaErrorBodies,
    auth: createAuth,
    state: (shared) =>
      new NovaState({
        ...shared,
        account: { ...DEFAULT_ACCOUNT, ...options.account },
        keepDestroyedVms: options.keepDestroyedVms ?? true,
        provisioningSeconds: options.provisioningSeconds ?? 90,
        startSeconds: options.startSeconds ?? 20,
        stopSeconds: options.stopSeconds ?? 10,
        destroySeconds: options.destroySeconds ?? 15,
      }),
    routes: (router, s) => {
      registerPublicRoutes(router, s);
      registerVmRoutes(router, s, disabled);
      registerSshKeyRoutes(router, s, disabled);
      registerAccountRoutes(router, s);
    },
    adminState: (s) => ({ vms: vms(s), sshKeys: sshKeys(s), account: s.account, counters: s.counters }),
  });
  const clock = base.clock;

  const live = (id: string) => {
    const vm = state.vms.get(id);
    return vm && state.status(vm) !== "destroyed" ? vm : undefined;
  };
  const ms = (seconds: number) => Math.max(1, seconds * 1000);

  return {
    ...base,
    vms: () => vms(state),
    sshKeys: () => sshKeys(state),
    account: () => ({ ...state.account }),
    setAccount: (patch) => {
      state.account = { ...state.account, ...patch };
    },
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
  };
}
