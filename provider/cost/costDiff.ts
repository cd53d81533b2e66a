import { HOURS_PER_30_DAYS, isGpuVm, machinePriceOf, nameOfUrn } from "./machinePrice";
import { CostInputError } from "./costInputError";

// `pulumi-gpucloud cost diff`: what a `pulumi preview --json --show-sames` will do to the hourly
// bill. Every GpuVm step is one line (create, replace naming the fields, delete, update); `same`
// steps count in both totals. A machine whose price is unknown (GPCN without a price table) is
// listed and left out of the totals, and the totals say so.

export type CostReason = "create" | "replace" | "delete" | "update";

export interface CostLine {
  urn: string;
  name: string;
  type: string;
  reason: CostReason;
  /** For a replace: the inputs that force it. */
  fields?: string[];
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

const priceOf = (state: Step["oldState"]) => machinePriceOf(state?.outputs && Object.keys(state.outputs).length ? { ...state.inputs, ...state.outputs } : state?.inputs);

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
    const before = reason === "create" ? undefined : priceOf(old);
    const after = reason === "delete" ? undefined : priceOf(next ?? old);
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
    lines.push({
      urn,
      name: nameOfUrn(urn),
      type,
      reason,
      ...(reason === "replace" ? { fields: replaceFields(steps) } : {}),
      ...(b !== undefined ? { before: b } : {}),
      ...(a !== undefined ? { after: a } : {}),
      ...(delta !== undefined ? { delta: round(delta) } : {}),
      currency: (after ?? before)?.currency ?? "USD",
    });
  }
  return { lines, machines: byUrn.size, totalBefore: round(totalBefore), totalAfter: round(totalAfter), delta: round(totalAfter - totalBefore), unpriced };
}

export const per30Days = (perHour: number) => round(perHour * HOURS_PER_30_DAYS);

const round = (v: number) => Math.round(v * 10_000) / 10_000;
