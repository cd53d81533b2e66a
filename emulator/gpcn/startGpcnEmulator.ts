/** Assembles the GPCN emulator from the shared emulator core and the GPCN routes and state. */

import { startCloudEmulator } from "../core/cloudEmulator";
import { createAuth } from "./auth";
import { gpcnErrorBodies } from "./envelope";
import { createGpcnFaultStore } from "./faultKnobs";
import { jobTimeline, serializeJob } from "./jobs";
import { registerAccountRoutes } from "./routes/accountRoutes";
import { API_PREFIX } from "./routes/apiPrefix";
import { registerGpuVmRoutes } from "./routes/gpuVmRoutes";
import { registerInventoryRoutes } from "./routes/inventoryRoutes";
import { registerJobRoutes } from "./routes/jobRoutes";
import { registerPowerRoutes } from "./routes/powerRoutes";
import { DEFAULT_POWER_TIMINGS } from "./power";
import { registerSshKeyRoutes } from "./routes/sshKeyRoutes";
import { serializeSshKey } from "./sshKeyRecord";
import { GpcnState } from "./state";
import type { GpcnEmulator, GpcnEmulatorOptions } from "./types";
import { serializeVm } from "./vmRecord";

export const GPCN_DEFAULT_API_KEY = "gpcn_test_key";

export async function startGpcnEmulator(options: GpcnEmulatorOptions = {}): Promise<GpcnEmulator> {
  const faults = createGpcnFaultStore();
  const vms = (state: GpcnState) => {
    state.sweep();
    return [...state.vms.values()].map((vm) => serializeVm(vm, state.lookups));
  };
  const sshKeys = (state: GpcnState) => [...state.sshKeys.values()].map(serializeSshKey);
  const jobs = (state: GpcnState) => [...state.jobs.values()].map((job) => serializeJob(job, state.clock));

  const { base, state } = await startCloudEmulator({
    options,
    defaultApiKey: GPCN_DEFAULT_API_KEY,
    defaultRateLimit: { limit: 100, windowMs: 60_000 }, // documented: 100 requests / 60 s per user
    apiPrefix: API_PREFIX,
    faults,
    errors: gpcnErrorBodies,
    auth: createAuth,
    state: (shared) =>
      new GpcnState({
        ...shared,
        stockPerOffer: options.stockPerOffer ?? 1000,
        provisioningSeconds: options.provisioningSeconds ?? 180,
        deletionSeconds: options.deletionSeconds ?? 20,
      }),
    routes: (router, s) => {
      registerAccountRoutes(router);
      registerInventoryRoutes(router, s);
      registerGpuVmRoutes(router, s);
      registerPowerRoutes(router, s, {
        stopSeconds: options.stopSeconds ?? DEFAULT_POWER_TIMINGS.stopSeconds,
        startSeconds: options.startSeconds ?? DEFAULT_POWER_TIMINGS.startSeconds,
      });
      registerJobRoutes(router, s);
      registerSshKeyRoutes(router, s);
    },
    adminState: (s) => ({ vms: vms(s), sshKeys: sshKeys(s), jobs: jobs(s), counters: s.counters }),
  });
  const clock = base.clock;

  return {
    ...base,
    vms: () => vms(state),
    sshKeys: () => sshKeys(state),
    jobs: () => jobs(state),
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
  };
}
