import type { DynamicHost, HostCallError, Props } from "../harness/dynamicHost";

// What the Pulumi engine keeps and does across `pulumi up` runs, for one stack of VMs of one type:
// checkpointed state (with partial creates marked, as init errors), replacements made
// create-before-delete (an old machine whose delete failed stays recorded as pending delete and is
// deleted by the next run), refresh dropping what the cloud says is gone, and a crashed provider
// process replaced by a new one that runs the interrupted operation again.

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
}

/** Runs one operation; `kill` runs it on a provider process that dies part way. */
export type OperationRunner = <T>(op: string, resource: string, run: (host: DynamicHost) => Promise<T>) => Promise<T>;

export class EngineModel {
  readonly state = new Map<string, RecordedVm>();
  /** Old halves of replacements whose delete has not succeeded yet. */
  readonly pendingDeletes: { resource: string; vm: RecordedVm }[] = [];
  readonly counters: EngineCounters = { operations: 0, failed: [] };
  /**
   * Records a delete was sent for: a machine gone although its delete failed was still asked to go.
   * Kept per record, not per id, so a replacement that took over the id it replaces is not covered.
   */
  private readonly deleteSent = new WeakSet<RecordedVm>();

  constructor(
    private readonly vmUrn: string,
    private readonly run: OperationRunner,
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
    await Promise.all(this.pendingDeletes.splice(0).map((p) => this.deletePending(p.resource, p.vm)));
    const steps = [...desired].map(([resource, inputs]) => this.apply(resource, inputs));
    const removals = [...this.state.keys()].filter((r) => !desired.has(r)).map((r) => this.delete(r));
    await Promise.all([...steps, ...removals]);
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

  private async apply(resource: string, news: Props): Promise<void> {
    const existing = this.state.get(resource);
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
      return vm;
    } catch (err) {
      const e = err as HostCallError;
      this.fail("create", resource, e.message);
      if (e.initFailed?.id) {
        const vm = { id: e.initFailed.id, inputs, outputs: e.initFailed.properties, initErrors: true };
        this.state.set(resource, vm);
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
