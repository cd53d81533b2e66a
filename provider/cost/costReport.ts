import { CostInputError } from "./costInputError";
import { HOURS_PER_30_DAYS, isGpuVm, nameOfUrn } from "./machinePrice";
import { rateInState, STOPPED_STATUS } from "./powerRates";

// `pulumi-gpucloud cost report`: the machines of a `pulumi stack export`, running and stopped, with
// their rates and the total. A stopped machine costs what its cloud documents it still bills: Nova
// keeps billing the disk (`storageHourlyRate`, nova.md §8); where nothing is documented (Novita,
// GPCN: powerRates.ts) its rate is unknown: it is listed and left out of the total, which says so.

export interface ReportMachine {
  name: string;
  type: string;
  id?: string;
  status: string;
  state: "running" | "stopped";
  pricePerHour?: number;
  currency: string;
  /** Why a stopped machine has no rate (its cloud documents none). */
  note?: string;
}

export interface CostReport {
  machines: ReportMachine[];
  running: number;
  stopped: number;
  totalPerHour: number;
  totalPer30Days: number;
  unpriced: string[];
}

export function parseStackExport(text: string): Array<{ urn: string; type: string; id?: string; outputs?: Record<string, unknown> }> {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CostInputError(`the input is not valid JSON (${(err as Error).message}); pipe in \`pulumi stack export\``);
  }
  const resources = doc?.deployment?.resources ?? (doc?.deployment && !doc.deployment.resources ? [] : undefined);
  if (!Array.isArray(resources)) throw new CostInputError("the input is JSON but not a `pulumi stack export` document (no `deployment.resources`)");
  return resources.filter((r: any) => r && typeof r.urn === "string" && typeof r.type === "string");
}

export function costReport(resources: ReturnType<typeof parseStackExport>): CostReport {
  const machines: ReportMachine[] = [];
  const unpriced: string[] = [];
  let total = 0;
  for (const r of resources) {
    if (!isGpuVm(r.type) || (r as { delete?: boolean }).delete) continue;
    const outs = r.outputs ?? {};
    const status = typeof outs.status === "string" ? outs.status : "unknown";
    // What the cloud last said wins over the declared state here: a report is about now.
    const rate = rateInState(r.type, outs, STOPPED_STATUS.test(status) || outs.powerState === "stopped" ? "stopped" : "running");
    // An undocumented stopped price is not a price: listed, left out of the total.
    const price = rate.note ? undefined : rate.pricePerHour;
    if (price === undefined) unpriced.push(nameOfUrn(r.urn));
    else total += price;
    machines.push({
      name: nameOfUrn(r.urn),
      type: r.type,
      ...(r.id ? { id: r.id } : {}),
      status,
      state: rate.state,
      ...(price !== undefined ? { pricePerHour: price } : {}),
      currency: rate.currency,
      ...(rate.note ? { note: rate.note } : {}),
    });
  }
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    machines,
    running: machines.filter((m) => m.state === "running").length,
    stopped: machines.filter((m) => m.state === "stopped").length,
    totalPerHour: round(total),
    totalPer30Days: round(total * HOURS_PER_30_DAYS),
    unpriced,
  };
}
