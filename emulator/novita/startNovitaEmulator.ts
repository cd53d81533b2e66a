/** Assembles the Novita emulator from the shared emulator core and the Novita routes and state. */

import { startCloudEmulator } from "../core/cloudEmulator";
import { createAuth } from "./auth";
import { novitaErrorBodies } from "./envelope";
import { createNovitaFaultStore } from "./faultKnobs";
import { observed, serializeInstance } from "./instanceRecord";
import { API_PREFIX } from "./routes/apiPrefix";
import { registerCatalogRoutes } from "./routes/catalogRoutes";
import { registerInstanceRoutes } from "./routes/instanceRoutes";
import { NovitaState } from "./state";
import type { NovitaEmulator, NovitaEmulatorOptions } from "./types";

export const NOVITA_DEFAULT_API_KEY = "novita_test_key";

export async function startNovitaEmulator(options: NovitaEmulatorOptions = {}): Promise<NovitaEmulator> {
  const faults = createNovitaFaultStore();
  const instances = (state: NovitaState) => {
    state.sweep();
    return [...state.instances.values()].map((rec) => serializeInstance(rec, state.clock));
  };
  const { base, state } = await startCloudEmulator({
    options,
    defaultApiKey: NOVITA_DEFAULT_API_KEY,
    defaultRateLimit: null, // Novita publishes no limit
    apiPrefix: API_PREFIX,
    faults,
    errors: novitaErrorBodies,
    auth: createAuth,
    state: (shared) =>
      new NovitaState({
        ...shared,
        stockPerProduct: options.stockPerProduct ?? 1000,
        provisioningSeconds: options.provisioningSeconds ?? 60,
        resetSeconds: options.resetSeconds ?? 30,
        deletionSeconds: options.deletionSeconds ?? 10,
        removedVisibleSeconds: options.removedVisibleSeconds ?? 60,
        missingInstanceStatus: options.missingInstanceStatus ?? 400,
      }),
    routes: (router, s) => {
      registerCatalogRoutes(router);
      registerInstanceRoutes(router, s);
    },
    adminState: (s) => ({ instances: instances(s), counters: s.counters }),
  });
  const clock = base.clock;

  return {
    ...base,
    setMissingInstanceStatus: (status) => {
      state.config.missingInstanceStatus = status;
    },
    instances: () => instances(state),
    reclaimSpot: (id) => {
      const rec = state.instance(id);
      if (!rec || rec.billingMode !== "spot" || observed(rec, clock).status === "removed") return false;
      rec.spotReclaimedAtWall = clock.wallNow();
      state.begin(rec, "reclaim");
      return true;
    },
    deleteOutOfBand: (id) => state.instances.delete(id),
    renameOutOfBand: (id, name) => {
      const rec = state.instance(id);
      if (!rec) return false;
      rec.name = name;
      return true;
    },
    setPortsOutOfBand: (id, ports) => {
      const rec = state.instance(id);
      if (!rec) return false;
      rec.ports = ports.map((p) => ({ ...p }));
      return true;
    },
  };
}
