import { GpuCloudError } from "../core/errors";
import { powerPoll, waitForPowerState } from "../core/powerWait";
import { logProgress } from "../core/progressLog";
import type { NovaClient } from "./client";
import { vmPhase } from "./observations";
import type { NovaVm } from "./schemas";

// `powerState` of a Nova VM, changed in place through POST /vms/{id}/stop and /start. The routes
// and the state machine are inferred (nova.md §4, §5: stop running → stopping → stopped, start
// stopped|interrupted → starting → running); the billing effect is documented (§8: a stopped VM
// bills only its storage, `storage_hourly_rate`).

const TYPE = "nova:GpuVm";

/**
 * What the VM is now, in the input's words; undefined while it is between states or offline. An
 * interrupted (preempted) VM counts as stopped: it runs no GPU and `start` brings it back.
 */
export function powerStateOf(vm: NovaVm | undefined): "running" | "stopped" | undefined {
  const phase = vmPhase(vm);
  if (phase === "ready") return "running";
  if ((phase === "stopped" && vm!.status === "stopped") || phase === "interrupted") return "stopped";
  return undefined;
}

/** What a stopped VM still costs per hour (nova.md §8: its storage); undefined while it runs or when Nova did not say. */
export function stoppedPricePerHour(vm: NovaVm | undefined): number | undefined {
  return powerStateOf(vm) === "stopped" && typeof vm?.storageHourlyRate === "number" ? vm.storageHourlyRate : undefined;
}

/** Stops or starts the VM and waits until it is so; a VM already there (or on its way) is left alone. */
export async function applyPowerState(client: NovaClient, id: string, name: string, to: "running" | "stopped", deadlineAt: number): Promise<NovaVm> {
  const now = await client.getVm(id);
  if (!now || vmPhase(now) === "gone") throw new GpuCloudError(`Nova VM ${id} ("${name}") no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "nova" });
  if (powerStateOf(now) === to) return now;
  // Still being created or started: a stop must wait until it runs (Nova refuses it before, 400).
  if (to === "stopped" && vmPhase(now) === "inProgress") await applyPowerState(client, id, name, "running", deadlineAt);
  // Still stopping: a start must wait until it is stopped.
  if (to === "running" && now.status === "stopping") await applyPowerState(client, id, name, "stopped", deadlineAt);
  // On its way already (creating/starting, or a lost answer to an earlier stop): a second action would be a wrong-state 400.
  const underWay = to === "running" ? vmPhase(now) === "inProgress" : now.status === "stopping";
  if (!underWay) {
    if (to === "stopped") {
      const storage = typeof now.storageHourlyRate === "number" ? ` ($${now.storageHourlyRate}/h)` : "";
      logProgress("info", `${TYPE} "${name}": stopping VM ${id}; Nova stops billing its GPUs and keeps billing its storage${storage}`);
    }
    if ((await client.power(id, to === "stopped" ? "stop" : "start")) === "unsupported") {
      throw new GpuCloudError(
        `Nova has no POST /vms/{id}/${to === "stopped" ? "stop" : "start"} route (it is inferred, not documented): VM ${id} ("${name}") stays ${to === "running" ? "stopped" : "running"}`,
        { cloud: "nova" },
      );
    }
  }
  return waitForPowerState({
    type: TYPE, cloud: "nova", machine: `Nova VM ${id}`, name, to, deadlineAt,
    poll: powerPoll(to, () => client.getVm(id), (vm) => ({
      label: vm ? `VM ${vm.status}` : "VM gone",
      state: powerStateOf(vm),
      failure: vmPhase(vm) === "gone" ? `VM ${id} no longer exists` : vmPhase(vm) === "failed" ? "Nova reports status failed" : undefined,
    })),
  });
}
