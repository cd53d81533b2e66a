import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type * as fluence from "../../sdk/fluence";
import type * as gpcn from "../../sdk/gpcn";
import type * as multicloud from "../../sdk/multicloud";
import type * as nova from "../../sdk/nova";
import type * as novita from "../../sdk/novita";
import type { CloudName } from "../../provider/clouds";
import type { gpuVmInputs as gpcnGpuVmInputs } from "../../provider/gpcn/inputs";
import type { sshKeyInputs as gpcnSshKeyInputs } from "../../provider/gpcn/inputs";
import type { gpuVmOutputs as gpcnGpuVmOutputs, sshKeyOutputs as gpcnSshKeyOutputs } from "../../provider/gpcn/outputs";
import type { gpuVmInputs as novaGpuVmInputs } from "../../provider/nova/inputs";
import type { sshKeyInputs as novaSshKeyInputs } from "../../provider/nova/inputs";
import type { gpuVmOutputs as novaGpuVmOutputs, sshKeyOutputs as novaSshKeyOutputs } from "../../provider/nova/outputs";
import type { gpuVmInputs as novitaGpuVmInputs } from "../../provider/novita/inputs";
import type { gpuVmOutputs as novitaGpuVmOutputs } from "../../provider/novita/outputs";
import type { gpuVmInputs as fluenceGpuVmInputs } from "../../provider/fluence/inputs";
import type { sshKeyInputs as fluenceSshKeyInputs } from "../../provider/fluence/inputs";
import type { gpuVmOutputs as fluenceGpuVmOutputs, sshKeyOutputs as fluenceSshKeyOutputs } from "../../provider/fluence/outputs";
import type { multicloudInputs } from "../../provider/multicloud/inputs";
import type { gpuVmOutputs as multicloudGpuVmOutputs } from "../../provider/multicloud/outputs";

// The SDK's argument interfaces and output declarations are written by hand (their JSDoc is the
// user's documentation); these types tie them to the zod schemas the handlers check with. The
// checks are done by tsc: `npx tsc -p tsconfig.test.json` (npm test's pretest) and
// tests/sdk/sdkTypes.test.ts. A key added to a schema and not to the SDK, or the other way round,
// fails to compile here. To see which key, assign the diff to `{ extra: never; missing: never }`:
// `extra` is in the SDK only, `missing` in the schema only.

/** Keys in A only (`extra`) and in B only (`missing`); both `never` when the key sets are equal. */
export type KeyDiff<A, B> = { extra: Exclude<A, B>; missing: Exclude<B, A> };
export type Same<D> = D extends { extra: never; missing: never } ? ([D[keyof D]] extends [never] ? true : false) : false;
/** Compiles only for `true`. */
export type Expect<T extends true> = T;

/** Inputs the core adds to a resource that adopts (`adoptId`) or is priced (`maxPricePerHour`). */
export type Added = "adoptId" | "maxPricePerHour";
export type ArgsDiff<Args, Schema extends z.ZodType, Extra extends string = never> = KeyDiff<keyof Args, keyof z.input<Schema> | Extra>;

/** Output properties a resource class declares: its own keys beyond CustomResource's. */
export type Declared<R> = Exclude<keyof R, keyof pulumi.CustomResource>;
/**
 * Every output of the schema that is not an input is declared on the class, and the class declares
 * nothing that is neither an input nor an output. (Output schemas also list the inputs kept secret
 * in state; inputs need no declaration.)
 */
export type OutputsDiff<R, Inputs extends z.ZodType, Outputs extends z.ZodType> = {
  extra: Exclude<Declared<R>, keyof z.input<Inputs> | keyof z.output<Outputs> | Added>;
  missing: Exclude<keyof z.output<Outputs>, Declared<R> | keyof z.input<Inputs>>;
};

export type Checks = [
  Expect<Same<ArgsDiff<gpcn.GpuVmArgs, typeof gpcnGpuVmInputs, Added>>>,
  Expect<Same<ArgsDiff<gpcn.SshKeyArgs, typeof gpcnSshKeyInputs, "adoptId">>>,
  Expect<Same<ArgsDiff<nova.GpuVmArgs, typeof novaGpuVmInputs, Added>>>,
  Expect<Same<ArgsDiff<nova.SshKeyArgs, typeof novaSshKeyInputs, "adoptId">>>,
  Expect<Same<ArgsDiff<novita.GpuVmArgs, typeof novitaGpuVmInputs, Added>>>,
  Expect<Same<ArgsDiff<fluence.GpuVmArgs, typeof fluenceGpuVmInputs, Added>>>,
  Expect<Same<ArgsDiff<fluence.SshKeyArgs, typeof fluenceSshKeyInputs, "adoptId">>>,
  Expect<Same<ArgsDiff<multicloud.GpuVmArgs, typeof multicloudInputs>>>,

  Expect<Same<OutputsDiff<gpcn.GpuVm, typeof gpcnGpuVmInputs, typeof gpcnGpuVmOutputs>>>,
  Expect<Same<OutputsDiff<gpcn.SshKey, typeof gpcnSshKeyInputs, typeof gpcnSshKeyOutputs>>>,
  Expect<Same<OutputsDiff<nova.GpuVm, typeof novaGpuVmInputs, typeof novaGpuVmOutputs>>>,
  Expect<Same<OutputsDiff<nova.SshKey, typeof novaSshKeyInputs, typeof novaSshKeyOutputs>>>,
  Expect<Same<OutputsDiff<novita.GpuVm, typeof novitaGpuVmInputs, typeof novitaGpuVmOutputs>>>,
  Expect<Same<OutputsDiff<fluence.GpuVm, typeof fluenceGpuVmInputs, typeof fluenceGpuVmOutputs>>>,
  Expect<Same<OutputsDiff<fluence.SshKey, typeof fluenceSshKeyInputs, typeof fluenceSshKeyOutputs>>>,
  Expect<Same<OutputsDiff<multicloud.GpuVm, typeof multicloudInputs, typeof multicloudGpuVmOutputs>>>,

  // The SDK's cloud names are the registry's.
  Expect<Same<KeyDiff<multicloud.CloudName, CloudName>>>,
];
