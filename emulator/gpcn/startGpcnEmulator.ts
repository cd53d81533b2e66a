/** Assembles the GPCN emulator from the core server and the GPCN routes and state. */

import { Clock } from "../core/clock";
import { RateLimiter } from "../core/rateLimiter";
import { Router } from "../core/router";
import { startEmulatorServer } from "../core/server";
import { createAuth } from "./auth";
import { gpcnErrorBodies } from "./envelope";
import { createGpcnFaultStore } from "./faultKnobs";
import { jobTimeline, serializeJob } from "./jobs";
import { registerAccountRoutes } from "./routes/accountRoutes";
import { API_PREFIX } from "./routes/apiPrefix";
import { registerGpuVmRoutes } from "./routes/gpuVmRoutes";
import { registerInventoryRoutes } from "./routes/inventoryRoutes";
import { registerJobRoutes } from "./routes/jobRoutes";
import { registerSshKeyRoutes } from "./routes/sshKeyRoutes";
import { serializeSshKey } from "./sshKeyRecord";
import { GpcnState } from "./state";
import type { GpcnEmulator, GpcnEmulatorOptions } from "./types";
import { serializeVm } from "./vmRecord";

export const GPCN_DEFAULT_API_KEY = "gpcn_test_key";

export async function startGpcnEmulator(options: GpcnEmulatorOptions = {}): Promise<GpcnEmulator> {
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? [...options.apiKeys] : [GPCN_DEFAULT_API_KEY];
  const clock = options.clock ?? new Clock({ timeScale: options.timeScale ?? 1 });
  const faults = createGpcnFaultStore();
  const rateLimiter = new RateLimiter(options.rateLimit === undefined ? { limit: 100, windowMs: 60_000 } : options.rateLimit);
  const state = new GpcnState({
    clock,
    faults,
    seed: options.seed,
    stockPerOffer: options.stockPerOffer ?? 1000,
    provisioningSeconds: options.provisioningSeconds ?? 180,
    deletionSeconds: options.deletionSeconds ?? 20,
  });

  const router = new Router();
  registerAccountRoutes(router);
  registerInventoryRoutes(router, state);
  registerGpuVmRoutes(router, state);
  registerJobRoutes(router, state);
  registerSshKeyRoutes(router, state);

  const vms = () => {
    state.sweep();
    return [...state.vms.values()].map((vm) => serializeVm(vm, state.lookups));
  };
  const sshKeys = () => [...state.sshKeys.values()].map(serializeSshKey);
  const jobs = () => [...state.jobs.values()].map((job) => serializeJob(job, clock));

  const auth = createAuth(apiKeys);
  const server = await startEmulatorServer({
    port: options.port ?? 0,
    host: options.host,
    router,
    errors: gpcnErrorBodies,
    faults,
    rateLimiter,
    clientKey: auth.clientKey,
    guard: auth.guard,
    logger: options.logger,
    admin: {
      clock,
      state: () => ({ vms: vms(), sshKeys: sshKeys(), jobs: jobs(), counters: state.counters }),
      reset: () => state.reset(),
    },
  });

  return {
    url: `${server.origin}${API_PREFIX}`,
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
    jobs,
    requests: () => server.requests(),
    stats: () => ({ ...server.stats(), ...state.counters }),
    deleteVmOutOfBand: (id) => {
      const vm = state.vm(id);
      if (!vm) return false;
      const createJob = state.jobs.get(vm.createJobId);
      if (createJob && createJob.cancelledAt === undefined) createJob.cancelledAt = clock.emulatedNow();
      state.removeVm(vm);
      return true;
    },
    renameVmOutOfBand: (id, name) => {
      const vm = state.vm(id);
      if (!vm) return false;
      vm.name = name;
      vm.editedAtWall = clock.wallNow();
      return true;
    },
    jobTimeline: (jobId) => {
      const job = state.jobs.get(jobId);
      return job && jobTimeline(job, clock);
    },
    reset: () => {
      faults.clear();
      rateLimiter.reset();
      server.resetStats();
      state.reset();
    },
  };
}
