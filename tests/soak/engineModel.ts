import type { DynamicHost, HostCallError, Props } from "../harness/dynamicHost";

// What the Pulumi engine keeps and does across `pulumi up` runs, for one stack of VMs of one type:
// checkpointed state (with partial creates marked, as init errors), replacements made
// create-before-delete (an old machine whose delete failed stays recorded as pending delete and is
// deleted by the next run), refresh dropping what the cloud says is gone, and a crashed provider
// process replaced by a new one that runs the interrupted operation again. A create that fails
// closed with AMBIGUOUS_ADOPTION is answered as the README ("When a create adopts an existing
// machine") tells the user: one named machine is adopted with `adoptId`, several are deleted, and
// `pulumi up` runs again.

export interface RecordedVm {
  id: string;
  inputs: Props;
  outputs: Props;
  /** A partial create or update: the engine runs update on the next `up` whatever the diff says. */
  initErrors: boolean;
}

export interface FailedOperation {
  op: string;
  resource: string;
  message: string;
}

export interface EngineCounters {
  operations: number;
  failed: FailedOperation[];
  /** AMBIGUOUS_ADOPTION errors answered by the user's remedy (adoptId, or deleting the candidates). */
  remedied: number;
}

/** What the user does about a create that failed closed naming machines. */
export interface AdoptionRemedy {
  /** The `adoptId` (and state key) of a machine the error names. */
  keyOf(candidate: string, message: string): string;
  /** The key recorded state holds for a VM. */
  machineKey(id: string, outputs: Props): string;
  /** Deletes a machine in the cloud's console. */
  deleteOutOfBand(key: string): void;
}

const AMBIGUOUS = "[code AMBIGUOUS_ADOPTION]";
/** `...: <id>, <id>. Nothing was created ...` (provider/core/createOnce.ts). */
const NAMED_CANDIDATES = /: ([^\s:,]+(?:, [^\s:,]+)*)\. Nothing was created/;
/** `pulumi up` runs after the first one that failed closed; more would mean the remedy does not work. */
const REMEDY_RUNS = 3;

/** Runs one operation; `kill` runs it on a provider process that dies part way. */
export type OperationRunner = <T>(op: string, resource: string, run: (host: DynamicHost) => Promise<T>) => Promise<T>;

export class EngineModel {
  readonly state = new Map<string, RecordedVm>();
  /** Old halves of replacements whose delete has not succeeded yet. */
  readonly pendingDeletes: { resource: string; vm: RecordedVm }[] = [];
  readonly counters: EngineCounters = { operations: 0, failed: [], remedied: 0 };
  /** The user's `adoptId` for a resource's next create (removed from the program once it took). */
  private readonly adoptIds = new Map<string, string>();
  /** AMBIGUOUS_ADOPTION errors of this `up`: resource → the candidates it named. */
  private ambiguities: { resource: string; candidates: string[]; message: string }[] = [];
  /**
   * Records a delete was sent for: a machine gone although its delete failed was still asked to go.
   * Kept per record, not per id, so a replacement that took over the id it replaces is not covered.
   */
  private readonly deleteSent = new WeakSet<RecordedVm>();

  constructor(
    private readonly vmUrn: string,
    private readonly run: OperationRunner,
    private readonly remedy?: AdoptionRemedy,
  ) {}

  /** Every machine the checkpoint holds, current or pending delete, with who holds it. */
  recorded(): (RecordedVm & { holder: string; deleteSent: boolean })[] {
    return [
      ...[...this.state].map(([resource, vm]) => ({ ...vm, holder: vm.initErrors ? `${resource} (partial)` : resource, deleteSent: this.deleteSent.has(vm) })),
      ...this.pendingDeletes.map((p) => ({ ...p.vm, holder: `${p.resource} (replaced, pending delete)`, deleteSent: this.deleteSent.has(p.vm) })),
    ];
  }

  /** `pulumi up` with `desired` (resource name → inputs): every resource in parallel, as the engine does. */
  async up(desired: Map<string, Props>): Promise<void> {
    for (let run = 0; ; run++) {
      this.ambiguities = [];
      await this.upOnce(desired);
      if (!this.remedy || !this.ambiguities.length || run >= REMEDY_RUNS) break;
      this.applyRemedy(this.remedy);
    }
    // The user keeps an `adoptId` in the program until it took, unless the resource left it.
    for (const resource of this.adoptIds.keys()) if (!desired.has(resource)) this.adoptIds.delete(resource);
  }

  private async upOnce(desired: Map<string, Props>): Promise<void> {
    await Promise.all(this.pendingDeletes.splice(0).map((p) => this.deletePending(p.resource, p.vm)));
    const steps = [...desired].map(([resource, inputs]) => this.apply(resource, inputs));
    const removals = [...this.state.keys()].filter((r) => !desired.has(r)).map((r) => this.delete(r));
    await Promise.all([...steps, ...removals]);
  }

  /**
   * The README's remedy: the one machine named is this resource's → `adoptId`; several → the user
   * deletes those no resource of the stack records (a recorded one would be the provider's bug,
   * left for the invariants to report).
   */
  private applyRemedy(remedy: AdoptionRemedy): void {
    const recorded = new Set(this.recorded().map((vm) => remedy.machineKey(vm.id, vm.outputs)));
    for (const { resource, candidates, message } of this.ambiguities) {
      const keys = candidates.map((c) => remedy.keyOf(c, message));
      if (keys.length === 1) this.adoptIds.set(resource, keys[0]);
      else for (const key of keys.filter((k) => !recorded.has(k))) remedy.deleteOutOfBand(key);
      this.counters.remedied++;
    }
  }

  /** `pulumi refresh`: a machine the cloud says is gone leaves the checkpoint. */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.state].map(async ([resource, vm]) => {
        const read = await this.attempt("read", resource, (host) => host.read(vm.id, this.vmUrn, vm.outputs, vm.inputs));
        if (!read) return;
        if (!read.id) this.state.delete(resource);
        else this.state.set(resource, { ...vm, outputs: read.properties, inputs: read.inputs ?? vm.inputs });
      }),
    );
  }

  private async apply(resource: string, program: Props): Promise<void> {
    const existing = this.state.get(resource);
    const adoptId = this.adoptIds.get(resource);
    const news = adoptId ? { ...program, adoptId } : program;
    const checked = await this.attempt("check", resource, (host) => host.check(this.vmUrn, existing?.inputs ?? {}, news), false);
    if (!checked) return;
    if (checked.failures.length) {
      this.fail("check", resource, checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
      return;
    }
    if (!existing) return void (await this.create(resource, checked.inputs));
    const diff = await this.attempt("diff", resource, (host) => host.diff(existing.id, this.vmUrn, existing.outputs, checked.inputs, existing.inputs), false);
    if (!diff) return;
    if (diff.replaces.length) return this.replace(resource, existing, checked.inputs);
    if (diff.changes === "DIFF_SOME" || existing.initErrors) return this.update(resource, existing, checked.inputs);
    this.state.set(resource, { ...existing, inputs: checked.inputs });
  }

  private async create(resource: string, inputs: Props): Promise<RecordedVm | undefined> {
    try {
      this.counters.operations++;
      const created = await this.run("create", resource, (host) => host.create(this.vmUrn, inputs));
      const vm = { id: created.id, inputs, outputs: created.properties, initErrors: false };
      this.state.set(resource, vm);
      this.adoptIds.delete(resource);
      return vm;
    } catch (err) {
      const e = err as HostCallError;
      this.fail("create", resource, e.message);
      const named = e.message.includes(AMBIGUOUS) ? NAMED_CANDIDATES.exec(e.message) : null;
      if (named) this.ambiguities.push({ resource, candidates: named[1].split(", "), message: e.message });
      if (e.initFailed?.id) {
        const vm = { id: e.initFailed.id, inputs, outputs: e.initFailed.properties, initErrors: true };
        this.state.set(resource, vm);
        this.adoptIds.delete(resource);
        return vm;
      }
      return undefined;
    }
  }

  private async replace(resource: string, old: RecordedVm, inputs: Props): Promise<void> {
    this.state.delete(resource);
    const created = await this.create(resource, inputs);
    if (!created) {
      this.state.set(resource, old);
      return;
    }
    await this.deletePending(resource, old);
  }

  private async update(resource: string, existing: RecordedVm, inputs: Props): Promise<void> {
    try {
      this.counters.operations++;
      const updated = await this.run("update", resource, (host) => host.update(existing.id, this.vmUrn, existing.outputs, inputs, existing.inputs));
      this.state.set(resource, { id: existing.id, inputs, outputs: updated.properties, initErrors: false });
    } catch (err) {
      const e = err as HostCallError;
      this.fail("update", resource, e.message);
      if (e.initFailed?.id) this.state.set(resource, { id: existing.id, inputs, outputs: e.initFailed.properties, initErrors: true });
    }
  }

  private async delete(resource: string): Promise<void> {
    const vm = this.state.get(resource)!;
    if (await this.deleted(resource, vm)) this.state.delete(resource);
  }

  private async deletePending(resource: string, vm: RecordedVm): Promise<void> {
    if (!(await this.deleted(resource, vm))) this.pendingDeletes.push({ resource, vm });
  }

  private async deleted(resource: string, vm: RecordedVm): Promise<boolean> {
    this.deleteSent.add(vm);
    const done = await this.attempt("delete", resource, (host) => host.delete(vm.id, this.vmUrn, vm.outputs).then(() => true));
    return done === true;
  }

  /** Runs an operation; a failure is recorded and answers undefined. */
  private async attempt<T>(op: string, resource: string, run: (host: DynamicHost) => Promise<T>, counted = true): Promise<T | undefined> {
    if (counted) this.counters.operations++;
    try {
      return await this.run(op, resource, run);
    } catch (err) {
      this.fail(op, resource, (err as Error).message);
      return undefined;
    }
  }

  private fail(op: string, resource: string, message: string): void {
    this.counters.failed.push({ op, resource, message });
  }
}
