import { Observation, PollOutcome } from "../core/waiter";
import { GpcnJob, GpcnVm } from "./schemas";

// Classification of what GPCN reports into waiter states (shared/api/gpcn.md §5, §9).

export function jobObservation(job: GpcnJob, now: number): Observation {
  const failed = job.hasFailed || (job.isTerminal && !job.isCompleted) || job.stage === "failed" || job.stage === "cancelled";
  const state = failed ? "failure" : job.isCompleted ? "success" : "retry";
  const percent = job.percent;
  let etaAt: number | undefined;
  if (job.estimatedCompletion) {
    const t = Date.parse(job.estimatedCompletion);
    if (Number.isFinite(t)) etaAt = t;
  }
  if (etaAt === undefined && job.timeRemainingSec !== undefined) etaAt = now + job.timeRemainingSec * 1000;
  return {
    state,
    label: `${job.stage}${percent !== undefined ? ` ${Math.round(percent)}%` : ""}`,
    percent,
    etaAt: state === "retry" ? etaAt : undefined,
    message: failed ? job.errorMessage || job.message || `job ${job.stage}` : job.message,
  };
}

export function jobOutcome(job: GpcnJob | undefined, jobId: string, now: number): PollOutcome<GpcnJob | undefined> {
  // An unknown job id answers an empty list, not 404: the job is gone from GPCN's view.
  if (!job) return { state: "failure", label: "job not found", message: `GPCN no longer knows job ${jobId}`, value: undefined };
  return { ...jobObservation(job, now), value: job };
}

export type VmPhase = "running" | "failed" | "gone" | "inProgress" | "stopped";

/** Statuses are compared case-insensitively; anything unknown counts as still in progress. */
export function vmPhase(status: string | undefined): VmPhase {
  const s = (status ?? "").toLowerCase();
  if (s === "running" || s === "active") return "running";
  if (s === "error" || s === "failed") return "failed";
  if (s === "deleted" || s === "terminated") return "gone";
  if (s === "stopped" || s === "shutoff") return "stopped";
  return "inProgress";
}

export function vmOutcome(vm: GpcnVm | undefined, goal: "running" | "gone"): PollOutcome<GpcnVm | undefined> {
  const phase = vm ? (vm.deleted ? "gone" : vmPhase(vm.status)) : "gone";
  const label = vm ? `VM ${vm.status}` : "VM gone";
  if (phase === goal) return { state: "success", label, value: vm };
  if (goal === "running" && (phase === "failed" || phase === "gone")) {
    return { state: "failure", label, message: vm ? `the VM reports status ${vm.status}` : "the VM disappeared", value: vm };
  }
  return { state: "retry", label, value: vm };
}
