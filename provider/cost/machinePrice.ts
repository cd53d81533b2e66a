// What a machine in a Pulumi state or preview costs per hour, read from its properties: the one
// price shape (`pricePerHour`, issue 16) or, for state written before it, the names each cloud used
// (Nova `hourlyRate`, Novita `pricePerHourUsd`; Fluence's was already `pricePerHour`).

export interface MachinePrice {
  pricePerHour?: number;
  currency: string;
}

const LEGACY = ["hourlyRate", "pricePerHourUsd"];

export function machinePriceOf(props: Record<string, unknown> | undefined): MachinePrice {
  if (!props) return { currency: "USD" };
  const currency = typeof props.currency === "string" ? props.currency : "USD";
  for (const key of ["pricePerHour", ...LEGACY]) {
    const v = props[key];
    if (typeof v === "number" && Number.isFinite(v)) return { pricePerHour: v, currency };
  }
  return { currency };
}

/** A GpuVm of any cloud, through either door: `gpucloud:nova:GpuVm`, or the dynamic resource's `pulumi-nodejs:dynamic/nova:GpuVm`. */
export function isGpuVm(type: string | undefined): boolean {
  return typeof type === "string" && /(^|[:/])GpuVm$/.test(type);
}

/** `urn:pulumi:dev::proj::gpucloud:nova:GpuVm::trainer` → `trainer` */
export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

export const HOURS_PER_30_DAYS = 720;

/** `$1,234.56` (USDC is priced 1:1 with USD in totals, as Fluence pegs it). */
export function dollars(v: number): string {
  return `$${Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function signedDollars(v: number): string {
  return `${v < 0 ? "-" : "+"}${dollars(v)}`;
}
