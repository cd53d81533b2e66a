import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../tests/harness/programDir";
import { renderNotes, renderTable, type Row } from "./table";

export const RESULTS_FILE = path.join(REPO_ROOT, "bench", "RESULTS.md");

export function machine(): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? "unknown CPU";
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function writeResults(rows: Row[], startedAt: Date, wallMs: number, assumptions: string[], perCloud: string[] = []): void {
  const met = rows.filter((r) => r.met === true).length;
  const missed = rows.filter((r) => r.met === false);
  const text = [
    "# Benchmark results",
    "",
    `Last run of \`npm run bench\`: ${startedAt.toISOString()}, took ${(wallMs / 1000).toFixed(0)} s.`,
    "",
    `Machine: ${machine()}.`,
    "",
    "These machines are noisy: read the ratios (ours ÷ naive baseline, measured in the same run), not the absolute times.",
    "",
    renderTable(rows),
    "",
    `Targets met: ${met}; missed: ${missed.length}${missed.length ? ` (${missed.map((r) => `${r.cloud} ${r.metric}`).join("; ")})` : ""}.`,
    "",
    ...perCloud.map((l) => `- ${l}`),
    ...(perCloud.length ? [""] : []),
    "## Notes",
    "",
    renderNotes(rows),
    "",
    "## How it is measured",
    "",
    ...assumptions.map((a) => `- ${a}`),
    "",
  ].join("\n");
  fs.writeFileSync(RESULTS_FILE, text + keptSections());
}

/** Sections other runs write into RESULTS.md (`npm run soak`'s, from SOAK_HEADING on) survive a bench run. */
export const SOAK_HEADING = "## Soak";

function keptSections(): string {
  const old = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, "utf8") : "";
  const at = old.indexOf(`\n${SOAK_HEADING}`);
  return at < 0 ? "" : old.slice(at + 1);
}
