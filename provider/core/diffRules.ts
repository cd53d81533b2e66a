import { containsUnknown } from "./unknown";

// Diff rules are data: one table per resource says what each input change does. `diff`, `update`
// and the README's tables all read the same table, so the docs cannot drift from behaviour.

interface RuleBase {
  /** Maps equivalent spellings to one value (case, whitespace, aliases) before comparing. */
  normalize?: (value: unknown) => unknown;
  /**
   * The cloud fills this in when omitted (Terraform's Optional+Computed): removing the input
   * from the program keeps the current value instead of planning a change.
   */
  cloudDefault?: boolean;
  /** One line for the README. */
  doc?: string;
}

/**
 * `C` names the calls of a cloud's in-place changes (e.g. "edit" | "upgrade"): `update` groups the
 * changed fields by `call`, never by the text of `via`, which is for people and the README.
 */
export type FieldRule<C extends string = string> =
  | (RuleBase & {
      change: "inPlace";
      /** The route, as the README and the preview show it. */
      via: string;
      /** The adapter's call that makes this change; `callOf` reads it. */
      call: C;
      /** the call restarts or resets the machine */
      resets?: boolean;
      /** Changes in one direction only can be made in place (a disk grows, never shrinks): the others replace. */
      replaceWhen?: { test: (from: unknown, to: unknown) => boolean; why: string };
      /** A change the preview warns about (a stop whose data the cloud keeps only for days). */
      warnWhen?: { test: (from: unknown, to: unknown) => boolean; warning: string };
    })
  | (RuleBase & { change: "replace"; why: string })
  | (RuleBase & { change: "stateOnly" });

export interface ResourceRules<C extends string = string> {
  type: string;
  fields: Record<string, FieldRule<C>>;
}

/** The call that makes an in-place change of `field`: a rule table without one for it is a programming error. */
export function callOf<C extends string>(rules: ResourceRules<C>, field: string): C {
  const rule = rules.fields[field];
  if (rule?.change !== "inPlace" || rule.call === undefined) throw new Error(`${rules.type}: ${field} has no in-place call in its rule table`);
  return rule.call;
}

export interface FieldChange {
  field: string;
  rule: FieldRule;
  from: unknown;
  to: unknown;
}

export interface ChangePlan {
  changes: FieldChange[];
  replaces: FieldChange[];
  inPlace: FieldChange[];
  stateOnly: FieldChange[];
}

export function planChanges(rules: ResourceRules, olds: Record<string, unknown>, news: Record<string, unknown>): ChangePlan {
  const changes: FieldChange[] = [];
  for (const [field, rule] of Object.entries(rules.fields)) {
    const from = olds[field];
    const to = news[field];
    if (!containsUnknown(to)) {
      if (isAbsent(to) && rule.cloudDefault) continue;
      if (sameValue(rule, from, to)) continue;
    }
    changes.push({ field, rule: effectiveRule(rule, from, to), from, to });
  }
  return {
    changes,
    replaces: changes.filter((c) => c.rule.change === "replace"),
    inPlace: changes.filter((c) => c.rule.change === "inPlace"),
    stateOnly: changes.filter((c) => c.rule.change === "stateOnly"),
  };
}

/** An in-place rule whose `replaceWhen` matches this change acts as a replace rule. */
function effectiveRule(rule: FieldRule, from: unknown, to: unknown): FieldRule {
  if (rule.change !== "inPlace" || !rule.replaceWhen || isAbsent(from) || isAbsent(to) || containsUnknown(to)) return rule;
  return rule.replaceWhen.test(from, to) ? { change: "replace", why: rule.replaceWhen.why, normalize: rule.normalize, doc: rule.doc } : rule;
}

/** The warnings of in-place changes whose `warnWhen` matches, for the preview. */
export function planWarnings(plan: ChangePlan): string[] {
  return plan.inPlace.flatMap((c) => (c.rule.change === "inPlace" && c.rule.warnWhen && !containsUnknown(c.to) && c.rule.warnWhen.test(c.from, c.to) ? [c.rule.warnWhen.warning] : []));
}

/** The fields whose in-place change resets the machine, for a warning in the preview. */
export function resettingFields(plan: ChangePlan): string[] {
  return plan.inPlace.filter((c) => c.rule.change === "inPlace" && c.rule.resets).map((c) => c.field);
}

export type PropertyDiffKind = "add" | "addReplace" | "delete" | "deleteReplace" | "update" | "updateReplace";

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Changed inputs; with `detailedDiff` the engine applies `replaceOnChanges` and prints them. */
  diffs: string[];
  detailedDiff: Record<string, { kind: PropertyDiffKind; inputDiff: boolean }>;
  /** Inputs of the table that keep their value (known in preview for dependents). */
  stables: string[];
}

export function diffFromPlan(plan: ChangePlan, rules?: ResourceRules): DiffResult {
  const detailedDiff: DiffResult["detailedDiff"] = {};
  for (const c of plan.changes) {
    const base = isAbsent(c.from) ? "add" : isAbsent(c.to) ? "delete" : "update";
    detailedDiff[c.field] = { kind: c.rule.change === "replace" ? (`${base}Replace` as PropertyDiffKind) : base, inputDiff: true };
  }
  const changed = new Set(plan.changes.map((c) => c.field));
  return {
    changes: plan.changes.length > 0,
    replaces: plan.replaces.map((c) => c.field),
    // A GPU is costly and names may be unique per account: the cloud keeps the old VM until the
    // new one runs, unless the user chose otherwise with deleteBeforeReplace.
    deleteBeforeReplace: false,
    diffs: plan.changes.map((c) => c.field),
    detailedDiff,
    stables: rules ? Object.keys(rules.fields).filter((f) => !changed.has(f)) : [],
  };
}

/** One sentence per change, for the preview log. */
export function describePlan(plan: ChangePlan): string[] {
  return plan.changes.map((c) => {
    const arrow = `${show(c.from)} → ${show(c.to)}`;
    if (c.rule.change === "replace") return `${c.field} ${arrow} forces replacement (${c.rule.why})`;
    if (c.rule.change === "inPlace") return `${c.field} ${arrow} updates in place via ${c.rule.via}${c.rule.resets ? " (the machine is reset)" : ""}`;
    return `${c.field} ${arrow} is stored in state only`;
  });
}

function show(v: unknown): string {
  if (containsUnknown(v)) return "(known after apply)";
  if (v === undefined || v === null) return "(unset)";
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + "…" : s;
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

function sameValue(rule: FieldRule, a: unknown, b: unknown): boolean {
  if (isAbsent(a) && isAbsent(b)) return true;
  if (isAbsent(a) !== isAbsent(b)) return false;
  const n = rule.normalize ?? ((v: unknown) => v);
  return stableJson(n(a)) === stableJson(n(b));
}

export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, val[k]]))
      : val,
  );
}

/** Markdown rows for the README: input | on change | how. */
export function rulesMarkdown(rules: ResourceRules): string {
  const rows = Object.entries(rules.fields).map(([field, r]) => {
    const what =
      r.change === "replace" ? "replace" : r.change === "inPlace" ? (r.resets ? "in place, resets the machine" : "in place") : "no cloud call";
    const how = r.change === "replace" ? r.why : r.change === "inPlace" ? `\`${r.via}\`` : "stored in state";
    const oneWay = r.change === "inPlace" && r.replaceWhen ? `replace when ${r.replaceWhen.why}` : "";
    const notes = [how, oneWay, r.cloudDefault ? "omitted = keep the cloud's value" : "", r.doc ?? ""].filter(Boolean).join("; ");
    return `| \`${field}\` | ${what} | ${notes} |`;
  });
  return ["| input | on change | how / notes |", "|---|---|---|", ...rows].join("\n");
}

export const normalizers = {
  lowerCase: (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  trimmed: (v: unknown) => (typeof v === "string" ? v.trim() : v),
  number: (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v),
  /** "ssh-ed25519 AAAA… comment" → "ssh-ed25519 AAAA…": clouds drop or rewrite the comment. */
  sshPublicKey: (v: unknown) => (typeof v === "string" ? v.trim().split(/\s+/).slice(0, 2).join(" ") : v),
};
