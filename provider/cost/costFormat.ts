import { CostDiff, per30Days } from "./costDiff";
import type { CostReport } from "./costReport";
import { dollars, signedDollars } from "./machinePrice";

// Text for a terminal and Markdown for a pull-request comment, from the same figures.

const why = (l: CostDiff["lines"][number]) =>
  l.reason === "replace" ? `replace (${l.fields?.length ? l.fields.join(", ") : "forced"})` : l.fields?.length ? `${l.reason} (also ${l.fields.join(", ")})` : l.reason;
const change = (delta: number | undefined) => (delta === undefined ? "price unknown" : `${signedDollars(delta)}/h`);
const kind = (type: string) => type.replace(/^pulumi-nodejs:dynamic\//, "").replace(/^gpucloud:/, "");

function totals(d: CostDiff): string[] {
  return [
    `per hour:    ${dollars(d.totalBefore)} → ${dollars(d.totalAfter)} (${signedDollars(d.delta)})`,
    `per 30 days: ${dollars(per30Days(d.totalBefore))} → ${dollars(per30Days(d.totalAfter))} (${signedDollars(per30Days(d.delta))})`,
  ];
}

function notes(d: CostDiff): string[] {
  const byNote = new Map<string, string[]>();
  for (const l of d.lines) if (l.note) byNote.set(l.note, [...(byNote.get(l.note) ?? []), l.name]);
  return [
    ...[...byNote].map(([note, names]) => `${note}: counted as $0 (${names.join(", ")})`),
    ...(d.unpriced.length ? [`not in the totals (price unknown): ${d.unpriced.join(", ")}`] : []),
  ];
}

export function diffText(d: CostDiff): string {
  const width = Math.max(0, ...d.lines.map((l) => `${kind(l.type)} ${l.name}`.length));
  const rows = d.lines.map((l) => `  ${change(l.delta).padStart(13)}  ${`${kind(l.type)} ${l.name}`.padEnd(width)}  ${why(l)}`);
  return [`GPU cost of this preview (${d.machines} machine${d.machines === 1 ? "" : "s"}, USD; USDC counted 1:1)`, ...(rows.length ? rows : ["  no machine changes"]), ...totals(d), ...notes(d)].join("\n") + "\n";
}

export function diffMarkdown(d: CostDiff): string {
  const rows = d.lines.map((l) => `| \`${l.name}\` | ${kind(l.type)} | ${why(l)} | ${change(l.delta)} |`);
  return [
    "<!-- pulumi-gpucloud cost diff -->",
    "### GPU cost of this change",
    "",
    ...(rows.length ? ["| machine | type | change | cost |", "|---|---|---|---|", ...rows] : ["No machine changes."]),
    "",
    "| | before | after | change |",
    "|---|---|---|---|",
    `| per hour | ${dollars(d.totalBefore)} | ${dollars(d.totalAfter)} | ${signedDollars(d.delta)} |`,
    `| per 30 days | ${dollars(per30Days(d.totalBefore))} | ${dollars(per30Days(d.totalAfter))} | ${signedDollars(per30Days(d.delta))} |`,
    ...notes(d).map((n) => `\n_${n}_`),
  ].join("\n") + "\n";
}

export function reportText(r: CostReport): string {
  const width = Math.max(0, ...r.machines.map((m) => m.name.length));
  const rows = r.machines.map(
    (m) => `  ${m.state.padEnd(8)} ${m.name.padEnd(width)}  ${kind(m.type).padEnd(16)} ${(m.pricePerHour === undefined ? "price unknown" : `${dollars(m.pricePerHour)}/h`).padStart(13)}  ${m.status}`,
  );
  return [
    `${r.running} running, ${r.stopped} stopped`,
    ...rows,
    `total: ${dollars(r.totalPerHour)}/h, ${dollars(r.totalPer30Days)} per 30 days`,
    ...(r.unpriced.length ? [`not in the total (price unknown): ${r.unpriced.join(", ")}`] : []),
    ...[...new Set(r.machines.flatMap((m) => (m.note ? [m.note] : [])))].map((n) => `  ${n}`),
  ].join("\n") + "\n";
}
