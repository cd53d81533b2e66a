import { PollOutcome } from "../core/waiter";
import { NovitaInstance } from "./schemas";

// Novita's instance status enum (shared/api/novita.md §5, §8) as waiter states.

export type InstancePhase = "running" | "inProgress" | "stopped" | "removing" | "gone";

/** Anything not named here (a status added later) counts as still in progress. */
export function instancePhase(status: string | undefined): InstancePhase {
  switch ((status ?? "").toLowerCase()) {
    case "running":
      return "running";
    case "removed":
      return "gone";
    case "toremove":
    case "removing":
      return "removing";
    case "exited":
    case "freezing": // undocumented; probably arrears: waiting will not start it
      return "stopped";
    default:
      return "inProgress";
  }
}

export function describeStatus(instance: NovitaInstance): string {
  const err = instance.statusError;
  return err?.message ? `${instance.status} (${err.state ? `${err.state}: ` : ""}${err.message})` : instance.status;
}

/**
 * Waiting for `running`: a statusError while not running (an image that cannot be pulled) or an
 * instance that stopped or went away is a failure, with Novita's own words.
 */
export function runningOutcome(instance: NovitaInstance | undefined): PollOutcome<NovitaInstance | undefined> {
  if (!instance) return { state: "failure", label: "instance gone", message: "the instance disappeared", value: undefined };
  const label = `instance ${instance.status}`;
  const phase = instancePhase(instance.status);
  if (phase === "running") return { state: "success", label, value: instance };
  if (instance.statusError?.message) {
    return { state: "failure", label, message: `Novita reports status ${describeStatus(instance)}`, value: instance };
  }
  if (phase !== "inProgress") {
    const spot = instance.spotReclaimTime ? ` (spot capacity reclaimed at ${instance.spotReclaimTime})` : "";
    return { state: "failure", label, message: `the instance is ${instance.status}${spot}`, value: instance };
  }
  return { state: "retry", label, value: instance };
}

/**
 * After `/gpu/instance/upgrade` the instance resets (toReset → resetting → running). A `running`
 * seen before any reset status may be the state from before the call, so it counts only once a
 * reset was seen or `settledAfterMs` has passed without one.
 */
export function resetOutcome(
  instance: NovitaInstance | undefined,
  progress: { sawReset: boolean; elapsedMs: number; settledAfterMs: number },
): PollOutcome<NovitaInstance | undefined> {
  const outcome = runningOutcome(instance);
  if (instance && instancePhase(instance.status) !== "running") progress.sawReset = true;
  if (outcome.state === "success" && !progress.sawReset && progress.elapsedMs < progress.settledAfterMs) {
    return { state: "retry", label: "instance running, reset not started yet", value: instance };
  }
  return outcome;
}

export function goneOutcome(instance: NovitaInstance | undefined): PollOutcome<NovitaInstance | undefined> {
  if (!instance || instancePhase(instance.status) === "gone") return { state: "success", label: "instance removed", value: instance };
  return { state: "retry", label: `instance ${instance.status}`, value: instance };
}
