/**
 * Fault knobs: one-shot bursts that are consumed by matching requests. The store is generic:
 * the three HTTP-level bursts below are built in, and each cloud registers its own knobs (with a
 * validator) so they share the same programmatic API and the same admin endpoint.
 */

export interface FaultFilter {
  /** Only requests with this HTTP method consume the knob (case-insensitive). */
  method?: string;
  /** Only requests whose path starts with this prefix consume the knob. */
  pathPrefix?: string;
}

export interface CountedKnob extends FaultFilter {
  /** How many more matching requests (or operations) the knob affects; 0 disables it. */
  count: number;
  /**
   * How many matching requests (or operations) pass untouched before the knob fires: with
   * `{count: 1, skip: 2}` on a create knob, the third create is hit (tests choose which of several
   * concurrent creates loses its answer).
   */
  skip?: number;
}

export interface RateLimitBurst extends CountedKnob {
  retryAfterSec: number;
}

export interface ServerErrorBurst extends CountedKnob {
  status: 500 | 502 | 503;
  /** Answer with an HTML page, as a proxy in front of the API would. */
  html?: boolean;
}

export type ConnectionResetBurst = CountedKnob;

export interface CoreFaultKnobs {
  rateLimitBurst: RateLimitBurst;
  serverErrorBurst: ServerErrorBurst;
  connectionResetBurst: ConnectionResetBurst;
}

/** Returns human-readable problems with a knob value (besides `count` and the filter). */
export type KnobValidator = (knob: Record<string, unknown>) => string[];

export interface FaultTarget {
  method: string;
  path: string;
}

export class FaultValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid fault knobs: ${problems.join("; ")}`);
  }
}

const coreValidators: Record<keyof CoreFaultKnobs, KnobValidator> = {
  rateLimitBurst: (k) =>
    isNonNegativeInt(k.retryAfterSec) ? [] : ["retryAfterSec must be an integer >= 0"],
  serverErrorBurst: (k) => {
    const problems: string[] = [];
    if (k.status !== 500 && k.status !== 502 && k.status !== 503) problems.push("status must be 500, 502 or 503");
    if (k.html !== undefined && typeof k.html !== "boolean") problems.push("html must be a boolean");
    return problems;
  },
  connectionResetBurst: () => [],
};

const nothingMore: KnobValidator = () => [];

/** Validators for cloud knobs that carry nothing beyond `count`, `skip` and the filter. */
export function countOnlyKnobs<N extends string>(...names: N[]): Record<N, KnobValidator> {
  return Object.fromEntries(names.map((name) => [name, nothingMore])) as Record<N, KnobValidator>;
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type KnobName<K> = keyof K & string;

export class FaultStore<K extends CoreFaultKnobs = CoreFaultKnobs> {
  private readonly validators: Record<string, KnobValidator>;
  private knobs: Partial<Record<string, CountedKnob>> = {};
  private readonly firedCounts: Record<string, number> = {};

  /** `cloudValidators` declares the cloud-specific knob names and how to check their values. */
  constructor(cloudValidators: Record<Exclude<KnobName<K>, keyof CoreFaultKnobs>, KnobValidator>) {
    this.validators = { ...coreValidators, ...(cloudValidators as Record<string, KnobValidator>) };
  }

  /** All knob names this store accepts. */
  names(): string[] {
    return Object.keys(this.validators);
  }

  /** Sets (replaces) a knob. Throws FaultValidationError on a bad value. */
  set<N extends KnobName<K>>(name: N, knob: K[N]): void {
    const problems = this.validate(name, knob);
    if (problems.length > 0) throw new FaultValidationError(problems);
    this.store(name, knob as CountedKnob);
  }

  /** Clears one knob, or all of them when called without a name. */
  clear(name?: KnobName<K>): void {
    if (name === undefined) this.knobs = {};
    else delete this.knobs[name];
  }

  /** Current value of a knob (undefined when unset or used up). */
  get<N extends KnobName<K>>(name: N): K[N] | undefined {
    return this.knobs[name] as K[N] | undefined;
  }

  /**
   * Consumes one unit of the knob if it is armed and the target matches its filter.
   * `accept` lets a cloud add its own condition (e.g. only for delete operations).
   * Returns the knob as it was before consumption, or undefined when nothing fired.
   */
  take<N extends KnobName<K>>(name: N, target?: FaultTarget, accept?: (knob: K[N]) => boolean): K[N] | undefined {
    const knob = this.knobs[name];
    if (!knob || knob.count <= 0 || !matches(knob, target)) return undefined;
    if (accept && !accept(knob as K[N])) return undefined;
    if (knob.skip) {
      this.knobs[name] = { ...knob, skip: knob.skip - 1 };
      return undefined;
    }
    const fired = { ...knob };
    if (knob.count === 1) delete this.knobs[name];
    else this.knobs[name] = { ...knob, count: knob.count - 1 };
    this.firedCounts[name] = (this.firedCounts[name] ?? 0) + 1;
    return fired as K[N];
  }

  snapshot(): Partial<K> {
    return JSON.parse(JSON.stringify(this.knobs)) as Partial<K>;
  }

  /** How many times each knob has fired since creation or the last resetCounters(). */
  fired(): Record<string, number> {
    return { ...this.firedCounts };
  }

  resetCounters(): void {
    for (const name of Object.keys(this.firedCounts)) delete this.firedCounts[name];
  }

  /**
   * Applies an admin patch `{ knobName: knob | null, ..., clear?: true | [names] }`.
   * `null` clears that knob; `clear` runs first. All-or-nothing: nothing changes on error.
   */
  applyPatch(patch: unknown): void {
    if (!isRecord(patch)) throw new FaultValidationError(["body must be a JSON object"]);
    const problems: string[] = [];
    const updates: [string, CountedKnob | null][] = [];
    let clearNames: string[] = [];
    for (const [name, value] of Object.entries(patch)) {
      if (name === "clear") {
        if (value === true) clearNames = this.names();
        else if (Array.isArray(value) && value.every((v) => typeof v === "string" && v in this.validators)) {
          clearNames = value as string[];
        } else problems.push(`clear must be true or an array of knob names (${this.names().join(", ")})`);
        continue;
      }
      if (value === null) {
        if (name in this.validators) updates.push([name, null]);
        else problems.push(`unknown knob "${name}"`);
        continue;
      }
      const knobProblems = this.validate(name, value);
      if (knobProblems.length > 0) problems.push(...knobProblems);
      else updates.push([name, value as CountedKnob]);
    }
    if (problems.length > 0) throw new FaultValidationError(problems);
    for (const name of clearNames) delete this.knobs[name];
    for (const [name, knob] of updates) {
      if (knob === null) delete this.knobs[name];
      else this.store(name, knob);
    }
  }

  private store(name: string, knob: CountedKnob): void {
    if (knob.count === 0) delete this.knobs[name];
    else this.knobs[name] = { ...knob };
  }

  private validate(name: string, value: unknown): string[] {
    const validator = this.validators[name];
    if (!validator) return [`unknown knob "${name}" (known: ${this.names().join(", ")})`];
    if (!isRecord(value)) return [`${name} must be an object`];
    const problems: string[] = [];
    if (!isNonNegativeInt(value.count)) problems.push("count must be an integer >= 0");
    if (value.skip !== undefined && !isNonNegativeInt(value.skip)) problems.push("skip must be an integer >= 0");
    if (value.method !== undefined && typeof value.method !== "string") problems.push("method must be a string");
    if (value.pathPrefix !== undefined && typeof value.pathPrefix !== "string") {
      problems.push("pathPrefix must be a string");
    }
    problems.push(...validator(value));
    return problems.map((p) => `${name}: ${p}`);
  }
}

function matches(filter: FaultFilter, target: FaultTarget | undefined): boolean {
  if (!target) return filter.method === undefined && filter.pathPrefix === undefined;
  if (filter.method !== undefined && filter.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (filter.pathPrefix !== undefined && !target.path.startsWith(filter.pathPrefix)) return false;
  return true;
}
