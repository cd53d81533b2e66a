/**
 * `/_admin/*` routes, the same for every cloud. Not part of any cloud API: tests, the harness and
 * humans use them to arm faults, inspect state and reset the emulator.
 *
 *   GET  /_admin/state        faults, stats, rate limit, time scale, and the cloud's own state
 *   GET  /_admin/faults       armed knobs
 *   POST /_admin/faults       {knob: {...} | null, clear?: true | [names]}
 *   POST /_admin/reset        clear faults, rate-limit windows, request log, and cloud state
 *   POST /_admin/time-scale   {timeScale: number}
 *   POST /_admin/rate-limit   {limit, windowMs, mode?} or null
 */

import type { EmulatedClock } from "./emulatedClock";
import { FaultValidationError, type CoreFaultKnobs, type FaultStore } from "./faults";
import { checkRateLimitConfig, type RateLimitConfig, type ServerRateWindow } from "./serverRateWindow";
import type { RequestStats } from "./requestLog";
import { Router, type JsonReply } from "./router";

export interface AdminHooks {
  /** The cloud's resources, for GET /_admin/state. */
  state?(): unknown;
  /** Puts the cloud's resources back to their initial state, for POST /_admin/reset. */
  reset?(): void;
  clock?: EmulatedClock;
}

export interface AdminDependencies {
  faults: FaultStore<CoreFaultKnobs>;
  rateWindow: ServerRateWindow;
  stats(): RequestStats;
  resetStats(): void;
  hooks: AdminHooks;
}

const badRequest = (problems: string[]): JsonReply => ({ status: 400, body: { message: "Invalid admin request", problems } });

export function buildAdminRouter(deps: AdminDependencies): Router {
  const { faults, rateWindow, hooks } = deps;
  const knobState = () => ({ faults: faults.snapshot(), knownKnobs: faults.names() });

  return new Router()
    .get("/_admin/state", () => ({
      status: 200,
      body: {
        ...knobState(),
        stats: deps.stats(),
        rateLimit: rateWindow.currentConfig(),
        timeScale: hooks.clock?.timeScale ?? null,
        cloud: hooks.state?.() ?? null,
      },
    }))
    .get("/_admin/faults", () => ({ status: 200, body: knobState() }))
    .post("/_admin/faults", (ctx) => {
      try {
        faults.applyPatch(ctx.body);
      } catch (err) {
        if (err instanceof FaultValidationError) return badRequest(err.problems);
        throw err;
      }
      return { status: 200, body: knobState() };
    })
    .post("/_admin/reset", () => {
      faults.clear();
      rateWindow.reset();
      deps.resetStats();
      hooks.reset?.();
      return { status: 200, body: { reset: true } };
    })
    .post("/_admin/time-scale", (ctx) => {
      const scale = (ctx.body as { timeScale?: unknown } | undefined)?.timeScale;
      if (!hooks.clock) return badRequest(["this emulator has no clock"]);
      if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
        return badRequest(["timeScale must be a number > 0"]);
      }
      hooks.clock.setTimeScale(scale);
      return { status: 200, body: { timeScale: hooks.clock.timeScale } };
    })
    .post("/_admin/rate-limit", (ctx) => {
      const config = ctx.body === undefined ? null : ctx.body;
      const problems = checkRateLimitConfig(config);
      if (problems.length > 0) return badRequest(problems);
      rateWindow.configure(config as RateLimitConfig | null);
      return { status: 200, body: { rateLimit: rateWindow.currentConfig() } };
    });
}
