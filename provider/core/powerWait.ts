import { GpuCloudError } from "./errors";
import { waitProgress } from "./progressLog";
import { PollOutcome, waitUntil } from "./waiter";

// The wait after a stop or start (issue 16), the same on every cloud that has power control:
// <cloud>/powerState.ts says what one poll of its machine means; this waits until it is so.

export interface PowerWait<T> {
  /** `nova:GpuVm`, for progress lines. */
  type: string;
  /** The spec's cloud name (`nova`), for errors. */
  cloud: string;
  /** `Nova VM 3c90…`. */
  machine: string;
  name: string;
  to: "running" | "stopped";
  deadlineAt: number;
  poll(): Promise<PollOutcome<T | undefined>>;
}

export async function waitForPowerState<T>(w: PowerWait<T>): Promise<T> {
  const { value } = await waitUntil({
    what: `${w.machine} ("${w.name}") to be ${w.to}`,
    deadlineAt: w.deadlineAt,
    minDelayMs: 1000,
    maxDelayMs: 10_000,
    poll: w.poll,
    onProgress: waitProgress(w.type, w.name, w.to === "stopped" ? "stopping" : "starting"),
  });
  if (!value) throw new GpuCloudError(`${w.machine} did not become ${w.to}`, { cloud: w.cloud });
  return value;
}

/** What one read of the machine says: its progress label, its power state when settled, why the wait must end. */
export interface PowerReading {
  label: string;
  state?: "running" | "stopped";
  failure?: string;
}

/** A poll for waitForPowerState: failure when the reading names one, success once the machine is `to`, else retry. */
export function powerPoll<T>(to: "running" | "stopped", read: () => Promise<T | undefined>, describe: (machine: T | undefined) => PowerReading) {
  return async (): Promise<PollOutcome<T | undefined>> => {
    const machine = await read();
    const { label, state, failure } = describe(machine);
    if (failure) return { state: "failure", label, message: failure, value: machine };
    return { state: state === to ? "success" : "retry", label, value: machine };
  };
}
