/**
 * What an instance is doing. An operation stores only when it started, its steps and its fate;
 * the status is computed from the clock whenever it is read, so no timers run.
 */

export type InstanceStatus =
  | "toCreate" | "creating" | "pulling" | "running"
  | "toStart" | "starting" | "toStop" | "stopping" | "exited"
  | "toRestart" | "restarting" | "toRemove" | "removing" | "removed"
  | "toReset" | "resetting" | "migrating" | "freezing";

export type OperationKind = "create" | "start" | "stop" | "restart" | "delete" | "reset" | "reclaim";

export type OperationFate = { kind: "complete" } | { kind: "fail"; message: string } | { kind: "stuck" };

export interface Operation {
  kind: OperationKind;
  /** Emulated ms. */
  startedAt: number;
  steps: { status: InstanceStatus; ms: number }[];
  final: InstanceStatus;
  fate: OperationFate;
}

export interface Observed {
  status: InstanceStatus;
  statusError?: { state: string; message: string };
  /** Emulated ms the operation ended (undefined while it runs). */
  endedAt?: number;
}

export function observe(op: Operation, now: number): Observed {
  let t = op.startedAt;
  for (const [i, step] of op.steps.entries()) {
    const last = i === op.steps.length - 1;
    if (now < t + step.ms || (last && op.fate.kind === "stuck")) return { status: step.status };
    t += step.ms;
  }
  if (op.fate.kind === "fail") {
    const state = op.steps[op.steps.length - 1]?.status ?? op.final;
    return { status: "exited", statusError: { state, message: op.fate.message }, endedAt: t };
  }
  return { status: op.final, endedAt: t };
}

/** Emulated seconds of each operation's steps. */
export interface Durations {
  provisioningSeconds: number;
  resetSeconds: number;
  deletionSeconds: number;
}

export function operation(kind: OperationKind, startedAt: number, d: Durations, fate: OperationFate = { kind: "complete" }): Operation {
  const s = (status: InstanceStatus, seconds: number) => ({ status, ms: Math.max(1, seconds * 1000) });
  switch (kind) {
    case "create":
      return { kind, startedAt, fate, final: "running", steps: [s("toCreate", 2), s("creating", 8), s("pulling", d.provisioningSeconds)] };
    case "start":
      return { kind, startedAt, fate, final: "running", steps: [s("toStart", 2), s("starting", 10)] };
    case "stop":
      return { kind, startedAt, fate, final: "exited", steps: [s("toStop", 2), s("stopping", 8)] };
    case "restart":
      return { kind, startedAt, fate, final: "running", steps: [s("toRestart", 2), s("restarting", 10)] };
    case "reset":
      return { kind, startedAt, fate, final: "running", steps: [s("toReset", 2), s("resetting", d.resetSeconds)] };
    case "delete":
      return { kind, startedAt, fate, final: "removed", steps: [s("toRemove", 2), s("removing", d.deletionSeconds)] };
    case "reclaim":
      return { kind, startedAt, fate, final: "exited", steps: [] };
  }
}

/** Which actions each settled status accepts; anything mid-operation accepts only delete. */
export const allowedFrom: Record<"edit" | "upgrade" | "start" | "stop" | "restart", InstanceStatus[]> = {
  edit: ["running", "exited"],
  upgrade: ["running", "exited"],
  start: ["exited"],
  stop: ["running"],
  restart: ["running"],
};
