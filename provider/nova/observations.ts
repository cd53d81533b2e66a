import { PollOutcome } from "../core/waiter";
import { NovaVm } from "./schemas";

// What Nova's VM status means for a waiter (nova.md §5, §9; the state machine is inferred).

export type VmPhase = "ready" | "inProgress" | "failed" | "gone" | "stopped" | "interrupted" | "offline";

/** `running` counts as ready once it has an IP (the guides connect "using the IP shown"). */
export function vmPhase(vm: Pick<NovaVm, "status" | "ip"> | undefined): VmPhase {
  if (!vm) return "gone";
  switch (vm.status) {
    case "running":
      return vm.ip ? "ready" : "inProgress";
    case "failed":
      return "failed";
    case "destroyed":
      return "gone";
    case "stopping":
    case "stopped":
      return "stopped";
    case "interrupted":
      return "interrupted";
    case "offline":
      return "offline";
    default:
      return "inProgress"; // creating, starting, and any status Nova adds later
  }
}

const labelOf = (vm: NovaVm | undefined) => (vm ? `VM ${vm.status}${vm.status === "running" && !vm.ip ? ", waiting for an IP" : ""}` : "VM gone");

/** One poll while waiting for a new VM to run. */
export function runningOutcome(vm: NovaVm | undefined, autoRestart: boolean | undefined): PollOutcome<NovaVm | undefined> {
  const phase = vmPhase(vm);
  const label = labelOf(vm);
  if (phase === "ready") return { state: "success", label, value: vm };
  if (phase === "failed") return { state: "failure", label, message: "Nova reports status failed (provisioning error)", value: vm };
  if (phase === "gone") return { state: "failure", label, message: vm ? "the VM was destroyed" : "the VM disappeared", value: vm };
  if (phase === "stopped") return { state: "failure", label, message: `the VM is ${vm!.status}: it was stopped before it became ready`, value: vm };
  // Preempted: with auto_restart Nova starts it again; without, it stays interrupted.
  if (phase === "interrupted" && !autoRestart) return { state: "failure", label, message: "the VM was interrupted (preempted) and autoRestart is off", value: vm };
  return { state: "retry", label, value: vm }; // creating, starting, offline (the host may come back)
}

/** One poll while waiting for a destroyed VM to go: 404 or `destroyed` both mean gone (nova.md §9). */
export function goneOutcome(vm: NovaVm | undefined): PollOutcome<undefined> {
  return vmPhase(vm) === "gone" ? { state: "success", label: labelOf(vm), value: undefined } : { state: "retry", label: labelOf(vm), value: undefined };
}
