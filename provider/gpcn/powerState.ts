import { GpuCloudError } from "../core/errors";
import { powerPoll, waitForPowerState } from "../core/powerWait";
import { logProgress } from "../core/progressLog";
import type { GpcnClient } from "./client";
import { vmPhase } from "./observations";
import type { GpcnVm } from "./schemas";

// `powerState` of a GPCN VM, changed in place through the older developer guide's single-VM
// POST /resource/gpu/{id}/stop and /start (gpcn.md §4, §7: doc-old; the current reference shows
// only bulk stop). Start may answer 501 when the upstream provider cannot start (doc-old): that
// is a clear error and the VM stays stopped. GPCN documents no price for a stopped VM.

const TYPE = "gpcn:GpuVm";

/** What the VM is now, in the input's words; undefined while it is between states (Stopping, Starting…). */
export function powerStateOf(vm: GpcnVm | undefined): "running" | "stopped" | undefined {
  if (!vm || vm.deleted) return undefined;
  const phase = vmPhase(vm.status);
  return phase === "running" ? "running" : phase === "stopped" ? "stopped" : undefined;
}

const ROUTE_MISSING = new Set([404, 405, 501]);

/** Stops or starts the VM and waits until it is so; a VM already there (or on its way) is left alone. */
export async function applyPowerState(client: GpcnClient, id: string, name: string, to: "running" | "stopped", deadlineAt: number): Promise<GpcnVm> {
  const now = await client.getVm(id);
  if (!now || now.deleted) throw new GpuCloudError(`GPCN VM ${id} ("${name}") no longer exists; run \`pulumi refresh\` to drop it from the stack`, { cloud: "gpcn" });
  if (powerStateOf(now) === to) return now;
  const action = to === "stopped" ? "stop" : "start";
  const between = vmPhase(now.status) === "inProgress"; // Provisioning, Starting, Stopping…
  // Still being created or started: a stop waits until it runs (GPCN refuses it before).
  const stopping = (now.status ?? "").toLowerCase() === "stopping";
  if (to === "stopped" && between && !stopping) await applyPowerState(client, id, name, "running", deadlineAt);
  // Still stopping: a start waits until it is stopped.
  if (to === "running" && stopping) await applyPowerState(client, id, name, "stopped", deadlineAt);
  // On its way already (provisioning/starting, or a lost answer to an earlier stop): a second action would be refused.
  const underWay = to === "running" ? between && !stopping : stopping;
  if (!underWay) {
    if (to === "stopped") logProgress("info", `${TYPE} "${name}": stopping VM ${id} through the older API's single-VM stop`);
    try {
      await client.power(id, action);
    } catch (err) {
      // 501: the upstream provider cannot start it (doc-old); 404/405 with GPCN's "Route Not Found": the route is gone.
      const missing = err instanceof GpuCloudError && err.status !== undefined && ROUTE_MISSING.has(err.status) && (err.status !== 404 || /route not found/i.test(err.message));
      if (!missing) throw err;
      throw new GpuCloudError(
        `GPCN cannot ${action} VM ${id} ("${name}"): the older API's single-VM ${action} (POST /resource/gpu/{id}/${action}) is not available ` +
          `(${(err as GpuCloudError).status}: ${(err as Error).message}); the VM stays ${to === "running" ? "stopped" : "running"}`,
        { cloud: "gpcn", status: (err as GpuCloudError).status, code: (err as GpuCloudError).code },
      );
    }
  }
  return waitForPowerState({
    type: TYPE, cloud: "gpcn", machine: `GPCN VM ${id}`, name, to, deadlineAt,
    poll: powerPoll(to, () => client.getVm(id), (vm) => ({
      label: vm ? `VM ${vm.status}` : "VM gone",
      state: powerStateOf(vm),
      failure: !vm || vm.deleted ? `VM ${id} no longer exists` : vmPhase(vm.status) === "failed" ? `the VM reports status ${vm.status}` : undefined,
    })),
  });
}
