/**
 * GPCN async jobs (API doc §9). A job stores only when it started, how long it takes (emulated),
 * and its fate (complete, fail part-way, stall); its stage and progress are computed from the
 * clock whenever it is read, so no timers run.
 */

import type { EmulatedClock } from "../core/emulatedClock";
import type { JobOperation } from "./faultKnobs";

export type JobStage = "initializing" | "provisioning" | "starting" | "deleting" | "completed" | "failed" | "cancelled";

export type JobFate =
  | { kind: "complete" }
  | { kind: "fail"; atFraction: number; message: string }
  | { kind: "stuck"; atFraction: number };

export interface JobRecord {
  jobId: string;
  operation: JobOperation;
  resourceId: string;
  resourceName: string;
  emulatedStart: number;
  emulatedDurationMs: number;
  createdAtWall: number;
  fate: JobFate;
  /** Emulated instant the job was cancelled (its VM was deleted before it finished). */
  cancelledAt?: number;
  /** Wall ms a jobs poll first returned it completed. */
  firstObservedCompletedAt?: number;
}

/** Where each stage begins, as a fraction of the job's duration. */
const stagePlan: Record<JobOperation, { stage: JobStage; from: number }[]> = {
  create: [
    { stage: "initializing", from: 0 },
    { stage: "provisioning", from: 0.05 },
    { stage: "starting", from: 0.8 },
  ],
  delete: [
    { stage: "initializing", from: 0 },
    { stage: "deleting", from: 0.1 },
  ],
};

const stageMessages: Record<JobStage, string> = {
  initializing: "Job queued",
  provisioning: "Provisioning GPU VM",
  starting: "Starting GPU VM",
  deleting: "Deleting GPU VM",
  completed: "Operation completed successfully",
  failed: "Operation failed",
  cancelled: "Operation cancelled",
};

export interface JobState {
  stage: JobStage;
  /** 0..1 */
  fraction: number;
  /** Emulated instant the current stage began. */
  stageSince: number;
  isCompleted: boolean;
  hasFailed: boolean;
  isTerminal: boolean;
}

export function jobState(job: JobRecord, emulatedNow: number): JobState {
  if (job.cancelledAt !== undefined && emulatedNow >= job.cancelledAt) {
    const atCancel = uncancelledState(job, job.cancelledAt);
    // A job that had already finished (or failed) keeps that outcome.
    if (!atCancel.isTerminal) {
      return { stage: "cancelled", fraction: atCancel.fraction, stageSince: job.cancelledAt, isCompleted: false, hasFailed: false, isTerminal: true };
    }
  }
  return uncancelledState(job, emulatedNow);
}

function uncancelledState(job: JobRecord, emulatedNow: number): JobState {
  const at = (fraction: number) => job.emulatedStart + fraction * job.emulatedDurationMs;
  const rawFraction = Math.min(1, Math.max(0, (emulatedNow - job.emulatedStart) / job.emulatedDurationMs));
  const fate = job.fate;
  if (fate.kind === "fail" && rawFraction >= fate.atFraction) {
    const since = at(fate.atFraction);
    return { stage: "failed", fraction: fate.atFraction, stageSince: since, isCompleted: false, hasFailed: true, isTerminal: true };
  }
  const fraction = fate.kind === "stuck" ? Math.min(rawFraction, fate.atFraction) : rawFraction;
  if (fraction >= 1) {
    return { stage: "completed", fraction: 1, stageSince: at(1), isCompleted: true, hasFailed: false, isTerminal: true };
  }
  const plan = stagePlan[job.operation];
  const current = [...plan].reverse().find((s) => fraction >= s.from) ?? plan[0];
  return { stage: current.stage, fraction, stageSince: at(current.from), isCompleted: false, hasFailed: false, isTerminal: false };
}

const iso = (wallMs: number) => new Date(wallMs).toISOString();

/** The job as the API returns it. */
export function serializeJob(job: JobRecord, clock: EmulatedClock) {
  const state = jobState(job, clock.emulatedNow());
  const end = job.emulatedStart + job.emulatedDurationMs;
  const running = !state.isTerminal;
  const errorMessage =
    state.stage === "failed" && job.fate.kind === "fail"
      ? job.fate.message
      : state.stage === "cancelled"
        ? "Cancelled: the resource was deleted before the operation finished"
        : null;
  return {
    jobId: job.jobId,
    resourceType: "virtual_machine",
    resourceDisplayName: "GPU Virtual Machine",
    operation: job.operation,
    stage: state.stage,
    progressPercentage: state.isCompleted ? 100 : Math.min(99, Math.floor(state.fraction * 100)),
    message: stageMessages[state.stage],
    errorMessage,
    // Wall clock: when the job will really finish at the current time scale.
    estimatedCompletion: running || state.isCompleted ? iso(clock.wallAt(end)) : null,
    timeRemaining: running ? Math.round(clock.realMsUntil(end)) / 1000 : 0,
    canRetry: state.hasFailed,
    isCompleted: state.isCompleted,
    hasFailed: state.hasFailed,
    isTerminal: state.isTerminal,
    resourceId: job.resourceId,
    resourceName: job.resourceName,
    createdAt: iso(job.createdAtWall),
    updatedAt: iso(Math.max(job.createdAtWall, clock.wallAt(state.stageSince))),
  };
}

export type GpcnJob = ReturnType<typeof serializeJob>;

export interface JobTimeline {
  /** Wall ms the job was created. */
  createdAt: number;
  /** Wall ms it became completed (null while running, or if it failed / was cancelled). */
  completedAt: number | null;
  /** Wall ms a jobs poll first returned it completed. */
  firstObservedCompletedAt: number | null;
}

export function jobTimeline(job: JobRecord, clock: EmulatedClock): JobTimeline {
  const state = jobState(job, clock.emulatedNow());
  return {
    createdAt: job.createdAtWall,
    completedAt: state.isCompleted ? clock.wallAt(job.emulatedStart + job.emulatedDurationMs) : null,
    firstObservedCompletedAt: job.firstObservedCompletedAt ?? null,
  };
}
