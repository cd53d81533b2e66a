/** Assembles the Novita emulator from the core server and the Novita routes and state. */

import { Clock } from "../core/clock";
import { RateLimiter } from "../core/rateLimiter";
import { Router } from "../core/router";
import { startEmulatorServer } from "../core/server";
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
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? [...options.apiKeys] : [NOVITA_DEFAULT_API_KEY];
  const clock = options.clock ?? new Clock({ timeScale: options.timeScale ?? 1 });
  const faults = createNovitaFaultStore();
  const rateLimiter = new RateLimiter(options.rateLimit ?? null);
  const state = new NovitaState({
    clock,
    faults,
    seed: options.seed,
    stockPerProduct: options.stockPerProduct ?? 1000,
    provisioningSeconds: options.provisioningSeconds ?? 60,
    resetSeconds: options.resetSeconds ?? 30,
    deletionSeconds: options.deletionSeconds ?? 10,
    removedVisibleSeconds: options.removedVisibleSeconds ?? 60,
    missingInstanceStatus: options.missingInstanceStatus ?? 400,
  });

  const router = new Router();
  registerCatalogRoutes(router);
  registerInstanceRoutes(router, state);

  const instances = () => {
    state.sweep();
    return [...state.instances.values()].map((rec) => serializeInstance(rec, clock));
  };

  const auth = createAuth(apiKeys);
  const server = await startEmulatorServer({
    port: options.port ?? 0,
    host: options.host,
    router,
    errors: novitaErrorBodies,
    faults,
    rateLimiter,
    clientKey: auth.clientKey,
    guard: auth.guard,
    logger: options.logger,
    admin: { clock, state: () => ({ instances: instances(), counters: state.counters }), reset: () => state.reset() },
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
    setMissingInstanceStatus: (status) => {
      state.config.missingInstanceStatus = status;
    },
    instances,
    requests: () => server.requests(),
    stats: () => ({ ...server.stats(), ...state.counters }),
    reclaimSpot: (id) => {
      const rec = state.instance(id);
      if (!rec || rec.billingMode !== "spot" || observed(rec, clock).status === "removed") return false;
      rec.spotReclaimedAtWall = clock.wallNow();
      state.begin(rec, "reclaim");
      return true;
    },
    deleteOutOfBand: (id) => state.instances.delete(id),
    setPortsOutOfBand: (id, ports) => {
      const rec = state.instance(id);
      if (!rec) return false;
      rec.ports = ports.map((p) => ({ ...p }));
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
