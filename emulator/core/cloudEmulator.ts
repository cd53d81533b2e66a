/**
 * What every cloud emulator is made of — clock, fault store, rate limiter, API-key auth, server,
 * admin hooks — assembled once. A cloud supplies its state, routes, error bodies and defaults,
 * and adds its own test controls to the returned base.
 */

import { EmulatedClock } from "./emulatedClock";
import type { CoreFaultKnobs, FaultStore } from "./faults";
import { ServerRateWindow, type RateLimitConfig } from "./serverRateWindow";
import type { RequestLogEntry, RequestStats } from "./requestLog";
import { Router, type Reply, type RequestContext } from "./router";
import { startEmulatorServer, type ErrorBodies, type RequestInfo } from "./server";

/** Options every cloud emulator takes; each cloud's options extend these with its own. */
export interface CommonEmulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Accepted API keys (default: the cloud's test key). */
  apiKeys?: string[];
  /** Emulated seconds per real second (default 1). */
  timeScale?: number;
  /** Per-key limit on real time; null disables; undefined = the cloud's default. */
  rateLimit?: RateLimitConfig | null;
  /** Makes generated ids (and the cloud's other generated values) reproducible. */
  seed?: string | number;
  /** One line per request. */
  logger?: (line: string) => void;
  /** Inject a clock (e.g. with a fake time source) instead of a real one; overrides timeScale. */
  clock?: EmulatedClock;
}

export interface ResettableState {
  reset(): void;
  counters: object;
}

/** What the core hands a cloud's state: its CloudStateConfig plus the cloud's fault store. */
export interface SharedStateParts<K extends CoreFaultKnobs> {
  clock: EmulatedClock;
  faults: FaultStore<K>;
  seed?: string | number;
}

export interface CloudEmulatorSpec<K extends CoreFaultKnobs, S extends ResettableState> {
  options: CommonEmulatorOptions;
  defaultApiKey: string;
  defaultRateLimit: RateLimitConfig | null;
  /** Path the cloud's API lives under ("" when at the root). */
  apiPrefix: string;
  faults: FaultStore<K>;
  errors: ErrorBodies;
  auth(apiKeys: readonly string[]): { clientKey(request: RequestInfo): string; guard(ctx: RequestContext): Reply | undefined };
  /** The cloud's state, built on what the core made: the clock, the fault store and the seed. */
  state(shared: SharedStateParts<K>): S;
  routes(router: Router, state: S): void;
  /** What GET /_admin/state shows. */
  adminState(state: S): unknown;
}

/** What every running cloud emulator offers; each cloud's emulator type extends it with its own test controls. */
export interface CloudEmulatorBase<K extends CoreFaultKnobs, C extends object> {
  /** Base URL clients use, including the API prefix. */
  url: string;
  /** Origin serving `/_admin/*`. */
  adminUrl: string;
  port: number;
  apiKeys: string[];
  clock: EmulatedClock;
  faults: FaultStore<K>;
  close(): Promise<void>;
  setTimeScale(timeScale: number): void;
  setRateLimit(config: RateLimitConfig | null): void;
  requests(): RequestLogEntry[];
  stats(): RequestStats & C;
  /** Clears state, faults, rate-limit windows and the request log. */
  reset(): void;
}

export async function startCloudEmulator<K extends CoreFaultKnobs, S extends ResettableState>(
  spec: CloudEmulatorSpec<K, S>,
): Promise<{ base: CloudEmulatorBase<K, S["counters"]>; state: S }> {
  const { options } = spec;
  const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? [...options.apiKeys] : [spec.defaultApiKey];
  const clock = options.clock ?? new EmulatedClock({ timeScale: options.timeScale ?? 1 });
  const rateWindow = new ServerRateWindow(options.rateLimit === undefined ? spec.defaultRateLimit : options.rateLimit);
  const state = spec.state({ clock, faults: spec.faults, seed: options.seed });
  const router = new Router();
  spec.routes(router, state);
  const auth = spec.auth(apiKeys);
  const server = await startEmulatorServer({
    port: options.port ?? 0,
    host: options.host,
    router,
    errors: spec.errors,
    faults: spec.faults,
    rateWindow,
    clientKey: auth.clientKey,
    guard: auth.guard,
    logger: options.logger,
    admin: { clock, state: () => spec.adminState(state), reset: () => state.reset() },
  });
  const base: CloudEmulatorBase<K, S["counters"]> = {
    url: `${server.origin}${spec.apiPrefix}`,
    adminUrl: server.origin,
    port: server.port,
    apiKeys,
    clock,
    faults: spec.faults,
    close: () => server.close(),
    setTimeScale: (timeScale) => clock.setTimeScale(timeScale),
    setRateLimit: (config) => rateWindow.configure(config),
    requests: () => server.requests(),
    stats: () => ({ ...server.stats(), ...state.counters }) as RequestStats & S["counters"],
    reset: () => {
      spec.faults.clear();
      rateWindow.reset();
      server.resetStats();
      state.reset();
    },
  };
  return { base, state };
}
