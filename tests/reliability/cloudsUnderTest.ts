import type { CloudStack, RunningEmulator } from "../harness/cloudStack";
import type { Door } from "../harness/doors";

// One entry per cloud: how to start its stack and how to reach its emulator's knobs. Every
// reliability scenario runs against every entry, so a new cloud gets the whole matrix by adding
// one entry here.

export interface MachineView {
  id: string;
  name: string;
  status: string;
}

export interface RequestView {
  method: string;
  path: string;
  status: number;
  /** Epoch ms. */
  at: number;
}

/** A value the provider must refuse at check, naming `property` (default: the field itself). */
export interface BadInput {
  resource: string;
  field: string;
  /** `MISSING` removes the field. */
  value: unknown;
  property?: string;
  /** Other fields changed along with it (conditional rules). */
  with?: Record<string, unknown>;
}

export const MISSING = Symbol("missing");

/**
 * A program before and after a change of one input that forces a replacement (values `MISSING`
 * remove the input). `from` is merged into the VM's usual inputs for the first create.
 */
export interface ReplaceCase {
  from?: Record<string, unknown>;
  to: Record<string, unknown>;
}

/**
 * Replace cases of an SSH key whose name and key material both force a replacement (Nova,
 * Fluence): the same material under a new name, and new material. `material` makes a new public key.
 */
export function renamedOrNewMaterial(material: () => string): Record<string, ReplaceCase> {
  const first = material();
  return {
    name: { from: { publicKey: first }, to: { name: "replace-key-renamed" } },
    publicKey: { from: { publicKey: first }, to: { publicKey: material() } },
  };
}

/** A cloud's SshKey resource, for the replace suite (tests/reliability/replace.test.ts). */
export interface SshKeyUnderTest<E extends RunningEmulator = any> {
  /** The SshKey's type token, whose rule table lists the inputs that force a replacement. */
  type: string;
  /** Name of the captured SshKey resource in the stack's program. */
  resource: string;
  /**
   * One case for every input of the key that can force a replacement, with key material no other
   * case uses (called once per test). The suite fails for a replace field that has no case here.
   */
  replaceCases(): Record<string, ReplaceCase>;
  /** Ids of the keys the emulator holds. */
  keys(stack: CloudStack<E>): string[];
  /**
   * Set when the cloud keeps one copy of any key material: a replacement with the old key's
   * material cannot be made while the old key exists, and its create fails with this (README:
   * set deleteBeforeReplace) instead of adopting the key the engine deletes next.
   */
  secondCopyRefused?: RegExp;
  /** Answers the cloud's key API has given over time; the suite runs once under each (`[label, switch it on]`). */
  variants?: Array<readonly [string, (stack: CloudStack<E>) => void]>;
}

export interface CloudUnderTest<E extends RunningEmulator = any> {
  /** At least one invalid value for every input of every resource. */
  badInputs: BadInput[];
  cloud: string;
  startStack(door?: Door): Promise<CloudStack<E>>;
  /** Name of the captured GpuVm resource in the stack's program. */
  vmResource: string;
  /** Inputs that give a fleet of identical machines room (Nova puts concurrent creates on one cheapest node). */
  fleetInputs: Record<string, unknown>;
  /** The GpuVm's type token, whose rule table lists the inputs that force a replacement. */
  vmType: string;
  /**
   * One case for every input of the GpuVm that can force a replacement. `shared` is what `prepare`
   * returned. tests/reliability/replace.test.ts fails for a replace field that has no case here.
   */
  replaceCases(stack: CloudStack<E>, shared: Record<string, unknown>): Promise<Record<string, ReplaceCase>>;
  /** The cloud's SshKey resource, if it has one. */
  sshKey?: SshKeyUnderTest<E>;
  /** Creates what VMs depend on (e.g. an SSH key); returns inputs to merge into every VM. */
  prepare(stack: CloudStack<E>): Promise<Record<string, unknown>>;
  /** Live machines as the emulator holds them (deleted ones excluded). */
  machines(stack: CloudStack<E>): MachineView[];
  requests(stack: CloudStack<E>): RequestView[];
  /** Path prefix of the machine routes, for aiming faults at them. */
  machinePath: string;
  /** Method and path of the machine-create request, e.g. "POST /v1/resource/gpu". */
  createRoute: string;
  faults: {
    clear(stack: CloudStack<E>): void;
    rateLimitBurst(stack: CloudStack<E>, count: number, retryAfterSec: number): void;
    serverErrorsOnReads(stack: CloudStack<E>, count: number): void;
    resetsOnReads(stack: CloudStack<E>, count: number): void;
    /** The answer of the (skip + 1)-th create from now is lost after the cloud made the machine. */
    loseCreateResponse(stack: CloudStack<E>, skip?: number): void;
    /** Makes the next provisioning fail; returns what the error must say (the cloud's reason, or its status). */
    failProvisioning(stack: CloudStack<E>, message: string): RegExp;
    stickProvisioning(stack: CloudStack<E>): void;
    capacity(stack: CloudStack<E>): void;
  };
  /** What the typed capacity error says (the cloud's own words). */
  capacityMessage: RegExp;
  /** Whether a machine whose provisioning failed still exists (and bills) — then it is a partial create. */
  failedMachineRemains: boolean;
  /** VM inputs the cloud never reports back: an import gets them from the program. */
  importUnreported: string[];
  /** The same for the cloud's SshKey, if it has one. */
  keyImportUnreported?: string[];
  /** The machine's status in the emulator once it runs. */
  runningStatus: RegExp;
  /** Whether a name change is an in-place update (else it replaces). */
  renameInPlace: boolean;
  setTimeScale(stack: CloudStack<E>, timeScale: number): void;
  /** The time scale the stack runs at normally (fast). */
  fastTimeScale: number;
  deleteOutOfBand(stack: CloudStack<E>, id: string): void;
  /** Renames a machine behind the provider's back (in the cloud's console). */
  renameOutOfBand(stack: CloudStack<E>, id: string, name: string): void;
  /**
   * Whether a refresh takes a name changed out of band into the stack (then the next diff renames
   * it back), or keeps the stack's name with a warning (a cloud that cannot rename: following the
   * console would replace the machine).
   */
  refreshFollowsRename: boolean;
}
