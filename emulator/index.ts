/** Local cloud emulators for pulumi-gpucloud. */

export { startGpcnEmulator, GPCN_DEFAULT_API_KEY } from "./gpcn/startGpcnEmulator";
export type { GpcnEmulator, GpcnEmulatorOptions, GpcnStats } from "./gpcn/types";
export type { GpcnFaultKnobs, JobOperation } from "./gpcn/faultKnobs";
export type { GpcnJob, JobTimeline } from "./gpcn/jobs";
export type { GpcnVm, GpcnVmListItem } from "./gpcn/vmRecord";
export type { GpcnSshKey } from "./gpcn/sshKeyRecord";
export { datacenters as gpcnDatacenters, gpuSeries as gpcnGpuSeries, defaultResourceGroup as gpcnDefaultResourceGroup } from "./gpcn/catalog";

export { startFluenceEmulator, FLUENCE_DEFAULT_API_KEY } from "./fluence/startFluenceEmulator";
export type { FluenceEmulator, FluenceEmulatorOptions, FluenceStats } from "./fluence/types";
export type { FluenceFaultKnobs } from "./fluence/faultKnobs";
export type { FluenceInstance, FluenceInstanceListItem } from "./fluence/instanceRecord";
export type { FluenceSshKey } from "./fluence/sshKeyRecord";
export { planOptions as fluencePlanOptions } from "./fluence/catalog";

export { startNovaEmulator, NOVA_DEFAULT_API_KEY } from "./nova/startNovaEmulator";
export type { NovaEmulator, NovaEmulatorOptions, NovaStats, NovaOptionalRoute } from "./nova/types";
export type { NovaFaultKnobs } from "./nova/faultKnobs";
export type { NovaVm, VmStatus as NovaVmStatus } from "./nova/vmRecord";
export type { NovaAccount } from "./nova/state";
export { nodes as novaNodes } from "./nova/catalog";

export { startNovitaEmulator, NOVITA_DEFAULT_API_KEY } from "./novita/startNovitaEmulator";
export type { NovitaEmulator, NovitaEmulatorOptions, NovitaStats, NovitaInstanceView } from "./novita/types";
export type { NovitaFaultKnobs } from "./novita/faultKnobs";
export { products as novitaProducts, clusters as novitaClusters } from "./novita/catalog";

export { EmulatedClock } from "./core/emulatedClock";
export type { EmulatedClockOptions, WallTimeSource } from "./core/emulatedClock";
export { FaultStore, FaultValidationError } from "./core/faults";
export type { CoreFaultKnobs, CountedKnob, FaultFilter, RateLimitBurst, ServerErrorBurst, ConnectionResetBurst } from "./core/faults";
export type { RateLimitConfig } from "./core/serverRateWindow";
export type { RequestLogEntry, RequestStats } from "./core/requestLog";
export { clouds } from "./clouds";
export type { CloudEntry, CloudStartOptions, RunningCloud } from "./core/cloudEntry";
