import type { FaultStore } from "../../emulator";
import type { CloudStack } from "../harness/cloudStack";
import { startDynamicHost, type DynamicHost, type Props } from "../harness/dynamicHost";
import type { ProgramDir } from "../harness/programDir";
import { KANSAS } from "../gpcn/gpcnStack";
import { CLOUDS, KEYS, liveMachines, startMultiCloudStack } from "../multicloud/multiCloudStack";
import { cloudsUnderTest } from "../reliability/clouds";
import type { CloudUnderTest } from "../reliability/cloudsUnderTest";

// What the soak drives: one per cloud (built from the reliability matrix's cloud table, so the
// fault knobs are the same ones the fault matrix proves one at a time) and multicloud.GpuVm.

export const FAULT_KINDS = ["429", "5xx", "reset", "lostResponse", "slowJobs", "stuckJob", "failedJob", "capacity", "kill"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface LiveMachine {
  /** Unique across every emulator of the world (multicloud prefixes the cloud). */
  key: string;
  name: string;
}

export interface SoakWorld {
  program: ProgramDir;
  /** Keys that must never appear in an error. */
  apiKeys: string[];
  vmUrn: string;
  /** A fresh host configured as the first one; the engine starts one per run, and after a crash. */
  newHost(): Promise<DynamicHost>;
  /** Inputs of fleet member `index`: `size` changes a field that forces a replace, `variant` one updated in place. */
  vmInputs(index: number, size: number, variant: number): Props;
  /** The key recorded state would hold for a VM id and its outputs. */
  machineKey(id: string, outputs: Props): string;
  /** A machine an AMBIGUOUS_ADOPTION error names, as `adoptId` takes it (and its key in state). */
  candidateKey(candidate: string, message: string): string;
  /** Deletes a machine by its key, as the user would in the cloud's console. */
  deleteOutOfBand(key: string): void;
  /** Machines that exist and bill: each must be recorded. */
  live(): LiveMachine[];
  /** Keys of every machine record the cloud still keeps (also failed ones that no longer bill): each recorded machine must be among them. */
  kept(): Set<string>;
  /** Arms one fault of `kind`; returns false when the kind does not apply to this world. */
  arm(kind: Exclude<FaultKind, "kill" | "slowJobs">, draw: (min: number, max: number) => number): boolean;
  /** Called after every cycle: stuck jobs that would block every later one start late instead. */
  endStuckJobs(): void;
  /** Emulated seconds per real second: lowered for slow jobs, restored after. */
  setTimeScale(timeScale: number): void;
  fastTimeScale: number;
  clearFaults(): void;
  /** How often each emulator knob fired since the last call (then zeroed). */
  takeFired(): Record<string, number>;
  close(): Promise<void>;
}

export interface SoakTarget {
  name: string;
  start(): Promise<SoakWorld>;
}

/**
 * The engine sets no deadline on a provider call; this one only turns a hang into a reported
 * violation instead of a soak that never ends.
 */
const CALL_TIMEOUT_MS = 180_000;

/** Short waits so stuck or slowed jobs end as partial creates within the soak's time. */
const TIMEOUTS = { createTimeoutSeconds: 5, deleteTimeoutSeconds: 10 };

/**
 * A Fluence deployment that failed is refunded and no longer bills (so the cloud table leaves it
 * out of the live machines) but its record stays: recorded state pointing at it is not lost.
 */
const keptRecords: Record<string, (stack: CloudStack<any>) => string[]> = {
  fluence: (stack) => stack.emulator.instances().filter((i: { status: string }) => i.status !== "ENDED").map((i: { id: string }) => i.id),
};

/**
 * At the end of each cycle, what a stuck job turns into: Fluence only terminates a deployment once
 * it is ACTIVE, so one stuck for ever could never be destroyed; there it starts late (a slow job,
 * within the cycle it stays stuck). The other clouds delete a stuck machine, so theirs stay stuck.
 */
const endStuckJobs: Record<string, (stack: CloudStack<any>) => void> = {
  fluence: (stack) => {
    for (const i of stack.emulator.instances()) if (i.status === "INITIALIZED") stack.emulator.activateInstance(i.id);
  },
};

/** Fields whose change forces a replace; the others change in place. */
const sizeField = (size: number) => ({ gpuCount: size === 0 ? 1 : 2 });

function takeFired(stores: FaultStore<any>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const store of stores) {
    for (const [knob, n] of Object.entries(store.fired())) total[knob] = (total[knob] ?? 0) + n;
    store.resetCounters();
  }
  return total;
}

function armCloudFault(cloud: CloudUnderTest, stack: CloudStack<any>, kind: Exclude<FaultKind, "kill" | "slowJobs">, draw: (min: number, max: number) => number): boolean {
  const knobs = stack.emulator.faults;
  switch (kind) {
    case "429":
      cloud.faults.rateLimitBurst(stack, draw(1, 3), 1);
      return true;
    // 5xx and resets hit any method: a create or delete whose answer never came is a retry the
    // provider must make safe, not only a read.
    case "5xx":
      knobs.set("serverErrorBurst", { count: draw(1, 3), status: 502, html: true });
      return true;
    case "reset":
      knobs.set("connectionResetBurst", { count: draw(1, 2) });
      return true;
    case "lostResponse":
      cloud.faults.loseCreateResponse(stack);
      return true;
    case "stuckJob":
      cloud.faults.stickProvisioning(stack);
      return true;
    case "failedJob":
      cloud.faults.failProvisioning(stack, "soak: provisioning failed");
      return true;
    case "capacity":
      cloud.faults.capacity(stack);
      return true;
  }
}

function cloudTarget(cloud: CloudUnderTest): SoakTarget {
  return {
    name: cloud.cloud,
    async start() {
      const stack = await cloud.startStack();
      // Injected 429 bursts stand for the rate limit here (sharedApiKey.test.ts runs under the real
      // one); a standing limit would turn most of the soak's time into waiting out windows.
      stack.emulator.setRateLimit(null);
      const shared = await cloud.prepare(stack);
      const template = stack.byName(cloud.vmResource).inputs;
      // Novita renames by replacing; its in-place field is the root disk size.
      const inPlace = (variant: number): Props => (cloud.renameInPlace ? {} : { rootfsSize: 60 + 10 * variant });
      const nameOf = (index: number, variant: number) => (cloud.renameInPlace && variant > 0 ? `soak-${index}-v${variant}` : `soak-${index}`);
      return {
        program: stack.program,
        apiKeys: [stack.apiKey],
        vmUrn: stack.urnOf(cloud.vmResource),
        newHost: () => stack.newHost(undefined, undefined, { callTimeoutMs: CALL_TIMEOUT_MS }),
        vmInputs: (index, size, variant) => ({ ...template, ...shared, ...TIMEOUTS, name: nameOf(index, variant), ...sizeField(size), ...inPlace(variant) }),
        machineKey: (id) => id,
        candidateKey: (candidate) => candidate,
        deleteOutOfBand: (id) => cloud.deleteOutOfBand(stack, id),
        live: () => cloud.machines(stack).map((m) => ({ key: m.id, name: m.name })),
        kept: () => new Set(keptRecords[cloud.cloud]?.(stack) ?? cloud.machines(stack).map((m) => m.id)),
        arm: (kind, draw) => armCloudFault(cloud, stack, kind, draw),
        endStuckJobs: () => endStuckJobs[cloud.cloud]?.(stack),
        setTimeScale: (n) => cloud.setTimeScale(stack, n),
        fastTimeScale: cloud.fastTimeScale,
        clearFaults: () => cloud.faults.clear(stack),
        takeFired: () => takeFired([stack.emulator.faults]),
        close: () => stack.close(),
      };
    },
  };
}

const MULTICLOUD_PROGRAM = `
const { gpcn, multicloud } = require("pulumi-gpucloud");
new gpcn.SshKey("key", { algorithm: "ed25519" });
new multicloud.GpuVm("vm", { name: "trainer", offers: [] });
`;

/** multicloud.GpuVm offering GPCN first and Novita second: faults on either, capacity on GPCN falls back. */
const multicloudTarget: SoakTarget = {
  name: "multicloud",
  async start() {
    const stack = await startMultiCloudStack(MULTICLOUD_PROGRAM);
    for (const c of CLOUDS) stack.emulators[c].setRateLimit(null);
    const sshKeyId = (await stack.checkAndCreate("key", stack.byName("key").inputs)).id;
    const template = stack.byName("vm").inputs;
    const emulators = stack.emulators;
    const blankEnv = Object.fromEntries(CLOUDS.flatMap((c) => [`${c.toUpperCase()}_API_KEY`, `${c.toUpperCase()}_ENDPOINT`]).map((k) => [k, ""]));
    const faultClouds = [cloudsUnderTest.find((c) => c.cloud === "gpcn")!, cloudsUnderTest.find((c) => c.cloud === "novita")!];
    // The cloud tables address a stack by its emulator; these stand in for the two offered clouds.
    const asStack = (cloud: string) => ({ emulator: (emulators as any)[cloud] }) as CloudStack<any>;
    let turn = 0;
    const live = (): LiveMachine[] => {
      const byCloud = liveMachines(emulators);
      const names: Record<string, Map<string, string>> = {
        gpcn: new Map(emulators.gpcn.vms().map((v) => [v.id, v.name])),
        nova: new Map(emulators.nova.vms().map((v) => [v.id, v.instance_label ?? ""])),
        novita: new Map(emulators.novita.instances().map((i) => [i.id, i.name])),
        fluence: new Map(emulators.fluence.instances().map((i) => [i.id, i.name])),
      };
      return CLOUDS.flatMap((c) => byCloud[c].map((id) => ({ key: `${c}:${id}`, name: names[c].get(id) ?? "" })));
    };
    return {
      program: stack.program,
      apiKeys: Object.values(KEYS),
      vmUrn: stack.urnOf("vm"),
      async newHost() {
        const host = await startDynamicHost({ cwd: stack.program.dir, project: stack.program.project, stack: "test", env: blankEnv, callTimeoutMs: CALL_TIMEOUT_MS });
        await host.configure(emulators.config);
        return host;
      },
      vmInputs: (index, size, variant) => ({
        ...template,
        ...TIMEOUTS,
        name: variant > 0 ? `soak-${index}-v${variant}` : `soak-${index}`,
        offers: [
          { cloud: "gpcn", inputs: { datacenterId: KANSAS, seriesCode: "h100_series", ...sizeField(size), sshKeyId } },
          { cloud: "novita", inputs: { productName: "RTX 4090", ...sizeField(size), rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" } },
        ],
      }),
      machineKey: (id, outputs) => `${outputs.cloud}:${id}`,
      // multicloud's error says which offer failed closed: `offer 0 (gpcn …)`; its adoptId is `<cloud>:<id>`.
      candidateKey: (candidate, message) => `${/offer \d+ \((\w+) /.exec(message)?.[1]}:${candidate}`,
      deleteOutOfBand: (key) => {
        const [cloud, id] = key.split(":");
        cloudsUnderTest.find((c) => c.cloud === cloud)!.deleteOutOfBand(asStack(cloud), id);
      },
      kept: () => new Set(live().map((m) => m.key)),
      live,
      arm(kind, draw) {
        // Alternate between the two offered clouds so both see every kind over a run.
        const cloud = faultClouds[turn++ % faultClouds.length];
        return armCloudFault(cloud, asStack(cloud.cloud), kind, draw);
      },
      endStuckJobs: () => {},
      setTimeScale: (n) => {
        for (const c of CLOUDS) emulators[c].setTimeScale(n);
      },
      fastTimeScale: 600,
      clearFaults: () => {
        for (const c of CLOUDS) emulators[c].faults.clear();
      },
      takeFired: () => takeFired(CLOUDS.map((c) => emulators[c].faults)),
      close: () => stack.close(),
    };
  },
};

export const soakTargets: SoakTarget[] = [...cloudsUnderTest.map(cloudTarget), multicloudTarget];

/** The kind of fault an emulator knob injects, by the knob's name in any cloud. */
export function faultKindOfKnob(knob: string): FaultKind | undefined {
  if (/^rateLimit/.test(knob)) return "429";
  if (/^serverError/.test(knob)) return "5xx";
  if (/^connectionReset/.test(knob)) return "reset";
  if (/^lose/.test(knob)) return "lostResponse";
  if (/^fail/.test(knob)) return "failedJob";
  if (/^stuck/.test(knob)) return "stuckJob";
  if (/^(capacity|reject|planGone|unavailable)/.test(knob)) return "capacity";
  return undefined;
}
