// One row per (cloud, metric): our figure, the naive baseline's figure measured in the same run,
// their ratio (ours ÷ baseline) and whether the target is met. Ratios, not absolute
// times, are the result on noisy machines.

export interface Row {
  cloud: string;
  metric: string;
  ours: string;
  baseline: string;
  /** ours ÷ baseline, e.g. "0.06×"; "—" when there is no comparable baseline figure. */
  ratio: string;
  target: string;
  /** true met, false missed, null when there is no target (reported only). */
  met: boolean | null;
  /** Why a figure is what it is, or what failed. */
  note?: string;
  /** Position of the metric in the table (bench/run.ts): rows of one metric sit together, cloud by cloud. */
  slot?: number;
}

export function ratio(ours: number, baseline: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return "—";
  const r = ours / baseline;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toFixed(3)}×`;
}

export const fmt = {
  ms: (ms: number) => (Number.isFinite(ms) ? (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`) : "n/a"),
  bytes: (n: number) => `${n.toLocaleString("en-US")} B`,
  mb: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : "n/a"),
  n: (n: number) => (Number.isFinite(n) ? (Number.isInteger(n) ? String(n) : n.toFixed(1)) : "n/a"),
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A Markdown table: readable in a terminal and in RESULTS.md alike. */
export function renderTable(rows: Row[]): string {
  const header = ["cloud", "metric", "pulumi-gpucloud", "naive baseline", "ratio (ours ÷ naive)", "target", "result"];
  const body = rows.map((r) => [
    r.cloud,
    r.metric,
    r.ours,
    r.baseline,
    r.ratio,
    r.target,
    r.met === null ? "reported" : r.met ? "met" : "**MISSED**",
  ]);
  const all = [header, ...body].map((cols) => cols.map(cell));
  const widths = header.map((_, i) => Math.max(...all.map((cols) => cols[i].length)));
  const line = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(all[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...all.slice(1).map(line)].join("\n");
}

/** The notes under the table, numbered by row. */
export function renderNotes(rows: Row[]): string {
  return rows
    .filter((r) => r.note)
    .map((r) => `- ${r.cloud} / ${r.metric}: ${r.note}`)
    .join("\n");
}
