import { clouds } from "../clouds";
import { machinePriceOf, MachinePrice } from "./machinePrice";

// What a machine costs in its power state (issue 16). Running: its `pricePerHour`. Stopped: what
// its cloud documents it still bills: Nova keeps billing the disk (`storageHourlyRate`, nova.md §8;
// unknown if the state does not hold it). Novita (novita.md §7 says only that data is kept
// keepDataDay days) and GPCN (gpcn.md §10: no prices at all) document no price for a stopped
// machine, so it counts as $0 and a note says so. Fluence cannot stop.

export type PowerState = "running" | "stopped";

/** Statuses in which a machine is not running (Nova stopped/interrupted, Novita exited, GPCN Stopped/Shutoff). */
export const STOPPED_STATUS = /stop|exited|paused|offline|interrupted|hibernat|shutoff|shut_off/i;

/** The declared powerState, else what the status says. */
export function powerStateOfProps(props: Record<string, unknown>): PowerState {
  if (props.powerState === "stopped" || props.powerState === "running") return props.powerState;
  return typeof props.status === "string" && STOPPED_STATUS.test(props.status) ? "stopped" : "running";
}

/** `nova`, `novita`, `gpcn`, `fluence`; a multicloud GpuVm answers its chosen cloud. */
export function cloudOf(type: string, props: Record<string, unknown>): string {
  const cloud = /(?:^|[:/])(\w+):GpuVm$/.exec(type)?.[1] ?? "";
  return cloud === "multicloud" && typeof props.cloud === "string" ? props.cloud : cloud;
}

const labelOf = (cloud: string): string => clouds.find((c) => c.name === cloud)?.title ?? cloud;

export interface StateRate extends MachinePrice {
  state: PowerState;
  /** Set when the cloud documents no stopped price: `pricePerHour` is then 0 (cost diff) and says nothing of the bill. */
  note?: string;
}

export function rateInState(type: string, props: Record<string, unknown>, state: PowerState = powerStateOfProps(props)): StateRate {
  const running = machinePriceOf(props);
  if (state === "running") return { ...running, state };
  const cloud = cloudOf(type, props);
  if (cloud === "nova") {
    const storage = props.storageHourlyRate;
    return typeof storage === "number" && Number.isFinite(storage) ? { pricePerHour: storage, currency: running.currency, state } : { currency: running.currency, state };
  }
  return { pricePerHour: 0, currency: running.currency, state, note: `${labelOf(cloud)} documents no price for a stopped machine` };
}
