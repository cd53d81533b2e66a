import { Forecast } from "../core/provisioningTimes";
import { waitProgress } from "../core/progressLog";
import { Observation, waitUntil } from "../core/waiter";
import { FluenceClient, FluenceKind } from "./client";
import { instancePhase, runningOutcome } from "./observations";
import { FluenceInstance } from "./schemas";

const TYPE = "fluence:GpuVm";

// A deploy answers only an id: the instance starts INITIALIZED (documented), said at once.
export const JUST_DEPLOYED: Observation = { state: "retry", label: "INITIALIZED (deployed; provisioning typically takes 2–3 minutes)" };

/** "Provisioning typically takes 2–3 minutes" (fluence.md §6, documented). */
export const FLUENCE_TYPICAL = { loMs: 120_000, hiMs: 180_000 };

/** Until the instance is ACTIVE (Fluence's word for running). */
export async function waitUntilRunning(client: FluenceClient, kind: FluenceKind, id: string, name: string, deadlineAt: number, initial?: Observation, forecast?: Forecast): Promise<FluenceInstance> {
  let activePolls = 0;
  const result = await waitUntil({
    what: `Fluence instance ${id} ("${name}") to become ACTIVE`,
    deadlineAt,
    initial,
    minDelayMs: 1000,
    // Without a forecast, no further apart than the naive client's 10 s cap.
    maxDelayMs: 10_000,
    forecast,
    poll: async () => {
      // Concurrent waiters share list calls; the poll that sees ACTIVE returns the full detail.
      const instance = await client.loadInstance(kind, id);
      if (instance && instancePhase(instance.status) === "active") activePolls++;
      return runningOutcome(instance, activePolls);
    },
    onProgress: waitProgress(TYPE, name),
    heartbeatMs: 30_000,
  });
  return result.value!;
}
