import type { CapturedResource } from "./captureProviders";
import { unwrapSecrets } from "./captureProviders";
import { DynamicHost, HostCallError, urn } from "./dynamicHost";

// A small stand-in for the engine's step loop, for machines without the Pulumi CLI: registers the
// captured resources in program order through the real dynamic-provider host, substituting the
// mock ids of resources it created with their real ids, and plans create / update / replace /
// delete from the host's own check and diff answers, as `pulumi up` would.

export interface StackResource {
  type: string;
  name: string;
  id: string;
  inputs: Record<string, any>;
  outputs: Record<string, any>;
}

export type StackEvent =
  | { op: "create" | "update" | "replace" | "delete" | "same"; phase: "start" | "done"; type: string; name: string; id?: string; changed?: string[]; replaces?: string[]; ms?: number }
  | { op: "failed"; type: string; name: string; message: string; initFailedId?: string };

export class StackRunner {
  readonly state = new Map<string, StackResource>();

  constructor(
    private readonly host: DynamicHost,
    private readonly project: string,
    private readonly stack = "dev",
    private readonly onEvent: (e: StackEvent) => void = () => {},
  ) {}

  /** The mock monitor answers `<name>-id`; after a real create, dependents get the real id. */
  private resolveIds(value: any): any {
    if (typeof value === "string") {
      for (const r of this.state.values()) if (value === `${r.name}-id`) return r.id;
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => this.resolveIds(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveIds(v)]));
    return value;
  }

  private urnOf(r: { type: string; name: string }): string {
    return urn(this.project, this.stack, r.type, r.name);
  }

  async up(resources: CapturedResource[]): Promise<void> {
    for (const captured of resources) await this.apply(captured);
  }

  async apply(captured: CapturedResource): Promise<StackResource> {
    const u = this.urnOf(captured);
    const news = this.resolveIds(unwrapSecrets(captured.inputs));
    const existing = this.state.get(captured.name);
    const checked = await this.host.check(u, existing?.inputs ?? {}, news);
    if (checked.failures.length) {
      const message = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      this.onEvent({ op: "failed", type: captured.type, name: captured.name, message });
      throw new Error(`${captured.type} ${captured.name}: ${message}`);
    }
    const base = { type: captured.type, name: captured.name };
    if (!existing) return this.create(base, checked.inputs);
    const diff = await this.host.diff(existing.id, u, existing.outputs, checked.inputs, existing.inputs);
    const changed = changedKeys(existing.inputs, checked.inputs);
    if (diff.changes === "DIFF_NONE") {
      this.onEvent({ op: "same", phase: "done", ...base, id: existing.id });
      existing.inputs = checked.inputs;
      return existing;
    }
    if (diff.replaces.length) {
      const started = Date.now();
      this.onEvent({ op: "replace", phase: "start", ...base, changed, replaces: diff.replaces });
      this.state.delete(captured.name);
      const created = await this.create(base, checked.inputs, true);
      await this.host.delete(existing.id, u, existing.outputs);
      this.onEvent({ op: "replace", phase: "done", ...base, id: created.id, replaces: diff.replaces, ms: Date.now() - started });
      return created;
    }
    const started = Date.now();
    this.onEvent({ op: "update", phase: "start", ...base, id: existing.id, changed });
    const updated = await this.host.update(existing.id, u, existing.outputs, checked.inputs, existing.inputs);
    const next = { ...existing, inputs: checked.inputs, outputs: updated.properties };
    this.state.set(captured.name, next);
    this.onEvent({ op: "update", phase: "done", ...base, id: existing.id, changed, ms: Date.now() - started });
    return next;
  }

  private async create(base: { type: string; name: string }, inputs: Record<string, any>, quiet = false): Promise<StackResource> {
    const started = Date.now();
    if (!quiet) this.onEvent({ op: "create", phase: "start", ...base });
    try {
      const { id, properties } = await this.host.create(this.urnOf(base), inputs);
      const r = { ...base, id, inputs, outputs: properties };
      this.state.set(base.name, r);
      if (!quiet) this.onEvent({ op: "create", phase: "done", ...base, id, ms: Date.now() - started });
      return r;
    } catch (err) {
      const e = err as HostCallError;
      if (e.initFailed?.id) {
        // As the engine does: a partial create is recorded, so the VM is never lost.
        this.state.set(base.name, { ...base, id: e.initFailed.id, inputs, outputs: e.initFailed.properties });
      }
      this.onEvent({ op: "failed", ...base, message: e.message, initFailedId: e.initFailed?.id });
      throw err;
    }
  }

  /** Deletes everything, dependents first. */
  async destroy(): Promise<void> {
    for (const r of [...this.state.values()].reverse()) {
      const started = Date.now();
      this.onEvent({ op: "delete", phase: "start", type: r.type, name: r.name, id: r.id });
      await this.host.delete(r.id, this.urnOf(r), r.outputs);
      this.state.delete(r.name);
      this.onEvent({ op: "delete", phase: "done", type: r.type, name: r.name, id: r.id, ms: Date.now() - started });
    }
  }
}

function changedKeys(olds: Record<string, any>, news: Record<string, any>): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
}
