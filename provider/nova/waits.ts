import { Forecast } from "../core/provisioningTimes";
import { waitProgress } from "../core/progressLog";
import { waitUntil } from "../core/waiter";
import { NovaClient } from "./client";
import { GpuVmInputs } from "./inputs";
import { runningOutcome } from "./observations";
import { NovaVm } from "./schemas";

const TYPE = "nova:GpuVm";

/** Until the VM runs (and, with autoRestart declared, shows it). */
export async function waitUntilRunning(client: NovaClient, vm: NovaVm, inputs: GpuVmInputs, deadlineAt: number, forecast?: Forecast): Promise<NovaVm> {
  const initial = runningOutcome(vm, inputs.autoRestart ?? vm.autoRestart);
  if (initial.state === "success") return vm;
  const res = await waitUntil({
    what: `Nova VM ${vm.id} ("${inputs.name}") to run`,
    initial,
    deadlineAt,
    minDelayMs: 1000,
    // Without a forecast, no further apart than the naive client's 10 s cap.
    maxDelayMs: 10_000,
    // Nova gives no completion estimate and documents no provisioning time (nova.md §8, §Unknowns):
    // polls follow the times of VMs of the same kind seen before (core/provisioningTimes.ts).
    forecast,
    // Shared with every other waiter of the process: one GET /vms serves them all.
    poll: async () => runningOutcome(await client.loadVm(vm.id), inputs.autoRestart ?? vm.autoRestart),
    onProgress: waitProgress(TYPE, inputs.name),
    heartbeatMs: 30_000,
  });
  return res.value!;
}
