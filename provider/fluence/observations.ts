import { PollOutcome } from "../core/waiter";
import { FluenceInstance } from "./schemas";

// Fluence instance statuses (shared/api/fluence.md §7, §9): INITIALIZED → ACTIVE, or → FAILED
// (provisioning failed, refunded); ENDED = terminated. FAILED and ENDED are terminal. Anything
// unknown counts as still in progress.

export type InstancePhase = "starting" | "active" | "failed" | "ended";

export function instancePhase(status: string | undefined): InstancePhase {
  const s = (status ?? "").toUpperCase();
  if (s === "ACTIVE") return "active";
  if (s === "FAILED") return "failed";
  if (s === "ENDED") return "ended";
  return "starting";
}

/** Neither running nor billing: FAILED, ENDED, or unknown to Fluence (404). */
export function isGone(instance: FluenceInstance | undefined): boolean {
  if (!instance) return true;
  const phase = instancePhase(instance.status);
  return phase === "failed" || phase === "ended";
}

/** How many polls an ACTIVE instance may go without its ssh_connection before we stop waiting for it. */
export const CONNECTION_GRACE_POLLS = 3;

/**
 * Waiting to run: ACTIVE with connection details is done; ACTIVE without them is given a few
 * polls (the docs say `domain` may lag, inferred); FAILED, ENDED and 404 end the wait.
 */
export function runningOutcome(instance: FluenceInstance | undefined, activePolls: number): PollOutcome<FluenceInstance | undefined> {
  if (!instance) return { state: "failure", label: "instance gone (404)", message: "Fluence no longer knows the instance", value: undefined };
  const phase = instancePhase(instance.status);
  const label = instance.status;
  if (phase === "active") {
    const reachable = !!(instance.sshConnection || instance.ip);
    if (reachable || activePolls >= CONNECTION_GRACE_POLLS) return { state: "success", label, value: instance };
    return { state: "retry", label: "ACTIVE, waiting for ssh_connection", value: instance };
  }
  if (phase === "failed") return { state: "failure", label, message: "Fluence reports status FAILED (provisioning failed)", value: instance };
  if (phase === "ended") return { state: "failure", label, message: "Fluence reports status ENDED (terminated by the user or the system)", value: instance };
  return { state: "retry", label, value: instance };
}
