/**
 * Power state of a GPCN VM through the older developer guide's single-VM `POST
 * /resource/gpu/{id}/start|stop` (gpcn.md §4, §7: doc-old; start may answer 501 when the upstream
 * provider cannot start). A VM keeps the steps of its last power action; its status is the last
 * step reached, computed when it is read (no timers), like the create and delete jobs.
 * Stop: Running → Stopping → Stopped; start: Stopped → Starting → Running. GPCN shows `Starting`
 * (documented) and `Stopped` (seen in a client); `Stopping` is inferred.
 */

export type PowerStatus = "Stopping" | "Stopped" | "Starting" | "Running";

export interface PowerStep {
  status: PowerStatus;
  /** Emulated ms. */
  at: number;
}

export interface PowerTimings {
  /** Stopping → Stopped, emulated seconds. */
  stopSeconds: number;
  /** Starting → Running, emulated seconds. */
  startSeconds: number;
}

export const DEFAULT_POWER_TIMINGS: PowerTimings = { stopSeconds: 15, startSeconds: 30 };

/** The status the last power action has reached by `now`; undefined when the VM was never stopped. */
export function powerStatusAt(steps: PowerStep[] | undefined, now: number): { status: PowerStatus; since: number } | undefined {
  let reached: PowerStep | undefined;
  for (const step of steps ?? []) if (step.at <= now) reached = step;
  return reached && { status: reached.status, since: reached.at };
}

/** The steps of a stop or a start begun at `now`. */
export function powerSteps(action: "start" | "stop", now: number, timings: PowerTimings): PowerStep[] {
  const ms = (seconds: number) => Math.max(1, seconds * 1000);
  return action === "stop"
    ? [{ status: "Stopping", at: now }, { status: "Stopped", at: now + ms(timings.stopSeconds) }]
    : [{ status: "Starting", at: now }, { status: "Running", at: now + ms(timings.startSeconds) }];
}
