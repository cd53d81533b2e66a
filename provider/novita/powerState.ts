import { waitForPowerState } from "../core/powerWait";
import { logProgress } from "../core/progressLog";
import type { NovitaClient } from "./client";
import { instancePhase, runningOutcome } from "./observations";
import type { NovitaInstance } from "./schemas";

// `powerState` of a Novita instance, changed in place through POST /gpu/instance/stop and /start
// (novita.md §7: stop keeps data ≤ keepDataDay (7) days, a restart is not guaranteed; §8: stop
// running → toStop → stopping → exited, start exited → toStart → starting → running).

const TYPE = "novita:GpuVm";

/** What stopping costs beyond the bill (novita.md §7): said in the preview and again at the stop. */
export const STOP_WARNING = "a stopped Novita instance keeps its data only keepDataDay days (7, as Novita documents), and starting it again may fail for lack of capacity";

/** The powerState rule's `warnWhen` (core/diffRules.ts): the preview warns when a change stops the instance. */
export const warnWhenStopping = { test: (_from: unknown, to: unknown) => to === "stopped", warning: `stopping: ${STOP_WARNING}` };

/** What the instance is now, in the input's words; undefined while it is between states. */
export function powerStateOf(instance: NovitaInstance | undefined): "running" | "stopped" | undefined {
  const phase = instancePhase(instance?.status);
  return phase === "running" ? "running" : phase === "stopped" ? "stopped" : undefined;
}

/** Stops or starts the instance and waits until it is so; an instance already there is left alone. */
export async function applyPowerState(client: NovitaClient, id: string, name: string, to: "running" | "stopped", deadlineAt: number): Promise<NovitaInstance> {
  const now = await client.getInstance(id);
  if (powerStateOf(now) === to) return now!;
  if (to === "stopped") {
    logProgress("warn", `${TYPE} "${name}": stopping instance ${id}; ${STOP_WARNING}`);
  }
  await client.power(id, to === "stopped" ? "stop" : "start");
  return waitForPowerState({
    type: TYPE, cloud: "novita", machine: `Novita instance ${id}`, name, to, deadlineAt,
    poll: async () => {
      const instance = await client.getInstance(id);
      if (!instance || instancePhase(instance.status) === "gone") {
        return { state: "failure", label: "instance gone", message: `instance ${id} no longer exists`, value: instance };
      }
      // Just after the start an instance may still show exited: only its error ends the wait early.
      if (to === "running") return powerStateOf(instance) === "stopped" && !instance.statusError?.message ? { state: "retry", label: `instance ${instance.status}`, value: instance } : runningOutcome(instance);
      return powerStateOf(instance) === "stopped"
        ? { state: "success", label: `instance ${instance.status}`, value: instance }
        : { state: "retry", label: `instance ${instance.status}`, value: instance };
    },
  });
}
