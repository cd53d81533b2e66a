import { Forecast } from "../core/provisioningTimes";
import { waitProgress } from "../core/progressLog";
import { waitUntil } from "../core/waiter";
import { ListedInstance, NovitaClient } from "./client";
import { instancePhase, resetOutcome, runningOutcome } from "./observations";
import { NovitaInstance } from "./schemas";

const TYPE = "novita:GpuVm";
/** A `running` right after an upgrade may predate the reset; after this long without one, it is the result. */
const RESET_SETTLE_MS = 30_000;

/**
 * One poll of an instance. Polled alone it is a GET; polled with others, one listing serves them
 * all (client.loadInstance) and a list item answers only when it decides the poll as the GET would
 * (`listItemAnswers`). Otherwise, e.g. once it runs, one GET reads the full object: the outputs
 * need what only GET shows (ip, SSH, web terminal, port endpoints).
 */
export async function pollInstance(client: NovitaClient, id: string, listItemAnswers: (item: ListedInstance) => boolean): Promise<NovitaInstance | undefined> {
  const seen = await client.loadInstance(id);
  if (seen.source === "get") return seen.instance;
  return listItemAnswers(seen) ? seen.instance : client.getInstance(id);
}

/** Still on its way (no failure to read in its statusError, which the item shows): the poll goes on whatever GET would add. */
const stillStarting = (item: ListedInstance) => item.showsStatusError && !item.instance.statusError && instancePhase(item.instance.status) === "inProgress";
/** While deleting, only the status counts (goneOutcome): any list item answers; an id the list lacks was read by GET. */
export const anyListItem = () => true;

export async function waitUntilRunning(client: NovitaClient, id: string, name: string, deadlineAt: number, forecast?: Forecast): Promise<NovitaInstance> {
  const { value } = await waitUntil({
    what: `Novita instance ${id} ("${name}") to run`,
    deadlineAt,
    minDelayMs: 1000,
    maxDelayMs: 10_000,
    // Novita gives no completion estimate and documents no transition timings (novita.md §8,
    // §Unknowns): polls follow the times of instances of the same product seen before.
    forecast,
    poll: async () => runningOutcome(await pollInstance(client, id, stillStarting)),
    onProgress: waitProgress(TYPE, name, "starting"),
    heartbeatMs: 30_000,
  });
  return value!;
}

export async function waitAfterReset(client: NovitaClient, id: string, name: string, deadlineAt: number): Promise<NovitaInstance> {
  const started = Date.now();
  const progress = { sawReset: false, elapsedMs: 0, settledAfterMs: RESET_SETTLE_MS };
  const { value } = await waitUntil({
    what: `Novita instance ${id} ("${name}") to run again after its reset`,
    deadlineAt,
    minDelayMs: 1000,
    maxDelayMs: 10_000,
    poll: async () => {
      const instance = await pollInstance(client, id, stillStarting);
      progress.elapsedMs = Date.now() - started;
      return resetOutcome(instance, progress);
    },
    onProgress: waitProgress(TYPE, name, "resetting"),
    heartbeatMs: 30_000,
  });
  return value!;
}
