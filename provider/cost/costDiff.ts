import { HOURS_PER_30_DAYS, isGpuVm, nameOfUrn } from "./machinePrice";
import { CostInputError } from "./costInputError";
import { powerStateOfProps, rateInState, type StateRate } from "./powerRates";

// `pulumi-gpucloud cost diff`: what a `pulumi preview --json --show-sames` will do to the hourly
// bill. Every GpuVm step is one line (create, replace naming the fields, delete, stop, start,
// update); `same` steps count in both totals, a stopped machine at its stopped rate (powerRates.ts). A machine whose price is unknown (GPCN without a price table) is
// listed and left out of the totals, and the totals say so.

export type CostReason = "create" | "replace" | "delete" | "stop" | "start" | "update";

export interface CostLine {
  urn: string;
  name: string;
  type: string;
  reason: CostReason;
  /** For a replace: the inputs that force it; for a stop or start: the other inputs that change with it. */
  fields?: string[];
  /** Why a stopped machine's rate is what it is (a cloud that documents no stopped price). */
  note?: string;
  before?: number;
  after?: number;
  /** after − before; absent when either side's price is unknown. */
  delta?: number;
  currency: string;
}

export interface CostDiff {
  lines: CostLine[];
  machines: number;
  totalBefore: number;
  totalAfter: number;
  delta: number;
  /** Machines left out of the totals because their price is unknown. */
  unpriced: string[];
}

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);

interface Step {
  op: string;
  urn: string;
  type?: string;
  oldState?: { type?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { type?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  replaceReasons?: string[];
  diffReasons?: string[];
  detailedDiff?: Record<string, { kind?: string } | string>;
}

/** The preview document, or a clear error: malformed text, or JSON that is not a preview. */
export function parsePreview(text: string): { steps: Step[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CostInputError(`the input is not valid JSON (${(err as Error).message}); pipe in \`pulumi preview --json --show-sames\``);
  }
  const steps = (doc as { steps?: unknown })?.steps;
  if (!doc || typeof doc !== "object" || (steps !== undefined && !Array.isArray(steps))) {
    throw new CostInputError("the input is JSON but not a `pulumi preview --json` document (no `steps` list)");
  }
  if (steps === undefined && !("changeSummary" in (doc as object))) {
    throw new CostInputError("the input is JSON but not a `pulumi preview --json` document (no `steps` or `changeSummary`)");
  }
  for (const s of (steps ?? []) as Step[]) {
    if (!s || typeof s.op !== "string" || typeof s.urn !== "string") throw new CostInputError("a step of the preview has no `op` or `urn`");
  }
  return { steps: (steps ?? []) as Step[] };
}

/** A state's properties: its outputs over its inputs (a preview's new state may hold only inputs). */
const propsOf = (state: Step["oldState"]) => ({ ...state?.inputs, ...(state?.outputs && Object.keys(state.outputs).length ? state.outputs : {}) });

/** Inputs that carry no change of the machine: the check-time price and the dynamic provider's code. */
const NOT_A_CHANGE = new Set(["pricePerHour", "currency", "priceSource", "__provider"]);

/** The inputs an update changes: the engine's diffReasons, else the inputs that differ. */
function changedInputs(step: Step | undefined, oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>): string[] {
  const keys = step?.diffReasons?.length ? step.diffReasons : [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].filter((k) => JSON.stringify(oldInputs[k]) !== JSON.stringify(newInputs[k]));
  return keys.filter((k) => !NOT_A_CHANGE.has(k)).sort();
}

function replaceFields(steps: Step[]): string[] {
  const fields = new Set<string>();
  for (const s of steps) {
    for (const f of s.replaceReasons ?? []) fields.add(f);
    for (const [f, d] of Object.entries(s.detailedDiff ?? {})) {
      const kind = typeof d === "string" ? d : d?.kind;
      if (kind && /Replace$/i.test(kind)) fields.add(f);
    }
  }
  return [...fields].sort();
}

export function costDiff(preview: { steps: Step[] }): CostDiff {
  const byUrn = new Map<string, Step[]>();
  for (const s of preview.steps) {
    const type = s.newState?.type ?? s.oldState?.type ?? s.type;
    if (!isGpuVm(type)) continue;
    byUrn.set(s.urn, [...(byUrn.get(s.urn) ?? []), s]);
  }
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  let totalBefore = 0;
  let totalAfter = 0;
  for (const [urn, steps] of byUrn) {
    const ops = new Set(steps.map((s) => s.op));
    const old = steps.find((s) => s.oldState)?.oldState;
    const next = [...steps].reverse().find((s) => s.newState)?.newState;
    const type = (next?.type ?? old?.type)!;
    const reason: CostReason | "same" = [...ops].some((o) => REPLACE_OPS.has(o))
      ? "replace"
      : ops.has("create")
        ? "create"
        : ops.has("delete")
          ? "delete"
          : ops.has("update")
            ? "update"
            : "same";
    const oldProps = propsOf(old);
    // The declared inputs win for the state after: a preview's new outputs may be the old ones.
    const nextProps = { ...(reason === "replace" || reason === "create" ? {} : oldProps), ...propsOf(next ?? old), ...next?.inputs };
    let why: CostReason = reason === "same" ? "update" : reason;
    let fields: string[] | undefined = reason === "replace" ? replaceFields(steps) : undefined;
    if (reason === "update") {
      const from = powerStateOfProps(oldProps);
      const to = powerStateOfProps(nextProps);
      if (from !== to) {
        why = to === "stopped" ? "stop" : "start";
        const others = changedInputs(steps.find((s) => s.op === "update"), old?.inputs ?? {}, next?.inputs ?? {}).filter((f) => f !== "powerState");
        if (others.length) fields = others;
      }
    }
    const before: StateRate | undefined = reason === "create" ? undefined : rateInState(type, oldProps);
    const after: StateRate | undefined = reason === "delete" ? undefined : rateInState(type, nextProps);
    const known = (p: { pricePerHour?: number } | undefined) => p === undefined || p.pricePerHour !== undefined;
    if (!known(before) || !known(after)) unpriced.push(nameOfUrn(urn));
    else {
      totalBefore += before?.pricePerHour ?? 0;
      totalAfter += after?.pricePerHour ?? 0;
    }
    if (reason === "same") continue;
    const b = before?.pricePerHour;
    const a = after?.pricePerHour;
    const delta = known(before) && known(after) ? (a ?? 0) - (b ?? 0) : undefined;
    const note = after?.state === "stopped" ? after.note : before?.state === "stopped" ? before.note : undefined;
    lines.push({
      urn,
      name: nameOfUrn(urn),
      type,
      reason: why,
      ...(fields ? { fields } : {}),
      ...(b !== undefined ? { before: b } : {}),
      ...(a !== undefined ? { after: a } : {}),
      ...(delta !== undefined ? { delta: round(delta) } : {}),
      ...(note ? { note } : {}),
      currency: (after ?? before)?.currency ?? "USD",
    });
  }
  return { lines, machines: byUrn.size, totalBefore: round(totalBefore), totalAfter: round(totalAfter), delta: round(totalAfter - totalBefore), unpriced };
}

export const per30Days = (perHour: number) => round(perHour * HOURS_PER_30_DAYS);

const round = (v: number) => Math.round(v * 10_000) / 10_000;
