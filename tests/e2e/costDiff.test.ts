import * as fs from "fs";
import * as path from "path";
import type { GpcnEmulator } from "../../emulator";
import { gpuSeries, skusAt } from "../../emulator/gpcn/catalog";
import { runCostCli } from "../../provider/cost/cli";
import { GPCN_PROGRAM, gpcnConfig, newApiKey, startE2eEmulator } from "./gpcnStack";
import { PulumiProject } from "./pulumiProject";

// Issue 16 through the real engine: `pulumi preview --json --show-sames` shows a GpuVm's
// pricePerHour for a new machine (check put it in the inputs the engine previews), and
// `pulumi-gpucloud cost diff` turns that document into the cost of the change. GPCN publishes no
// prices, so the stack's `gpcn:priceTable` is the source; its SKUs are the emulator's own.

const h100 = gpuSeries.find((s) => s.code === "h100_series")!;
const [sku1, sku2] = [skusAt(h100, 1, "KAN-1")[0].skuCode, skusAt(h100, 2, "KAN-1")[0].skuCode];
const PRICES = { [sku1]: 2.5, [sku2]: 4.75 };

// GPCN_PROGRAM with the SKU from config (the price table is keyed by SKU code).
const PROGRAM = GPCN_PROGRAM;

function costDiffOf(previewStdout: string, ...flags: string[]) {
  let out = "";
  let err = "";
  const code = runCostCli(["cost", "diff", ...flags], { readInput: () => previewStdout, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("cost diff on the real engine's preview", () => {
  const apiKey = newApiKey();
  let emulator: GpcnEmulator;
  let project: PulumiProject;

  beforeAll(async () => {
    emulator = await startE2eEmulator(apiKey);
    project = await PulumiProject.nodejs("cost-diff", {
      files: { "index.ts": PROGRAM },
      config: {
        ...gpcnConfig(emulator, apiKey, "e2e-cost"),
        skuCode: { value: sku1 },
        "gpcn:priceTable": { value: JSON.stringify(PRICES) },
      },
    });
  }, 120_000);

  afterAll(async () => {
    project?.cleanup();
    await emulator?.close();
  });

  test("preview shows pricePerHour of a new machine; cost diff prints +$2.50/h create and the totals", async () => {
    const { result, json } = await project.json(["preview", "--show-sames"]);
    const vm = json.steps.find((s: any) => s.op === "create" && /GpuVm$/.test(s.newState?.type));
    expect(vm.newState.inputs).toMatchObject({ pricePerHour: 2.5, currency: "USD", priceSource: "priceTable" });
    if (process.env.COST_FIXTURE_DIR) fs.writeFileSync(path.join(process.env.COST_FIXTURE_DIR, "preview-create.json"), result.stdout);
    const diff = costDiffOf(result.stdout);
    expect(diff.code).toBe(0);
    expect(diff.out).toMatch(/\+\$2\.50\/h\s+gpcn:GpuVm trainer\s+create/);
    expect(diff.out).toContain("per hour:    $0.00 → $2.50 (+$2.50)");
    expect(diff.out).toContain("per 30 days: $0.00 → $1,800.00 (+$1,800.00)");
    expect(emulator.vms()).toEqual([]);
  }, 300_000);

  test("after up, a bigger SKU previews as a replace naming the fields, and --fail-above fails the check", async () => {
    await project.cli(["up", "--yes", "--skip-preview"]);
    await project.cli(["config", "set", "gpuCount", "2"]);
    await project.cli(["config", "set", "skuCode", sku2]);
    const { result } = await project.json(["preview", "--show-sames"]);
    if (process.env.COST_FIXTURE_DIR) fs.writeFileSync(path.join(process.env.COST_FIXTURE_DIR, "preview-replace.json"), result.stdout);
    const diff = costDiffOf(result.stdout, "--format", "markdown", "--fail-above", "4");
    expect(diff.out).toContain("| `trainer` | gpcn:GpuVm | replace (gpuCount, skuCode) | +$2.25/h |");
    expect(diff.out).toContain("| per hour | $2.50 | $4.75 | +$2.25 |");
    expect(diff.code).toBe(1);
    expect(diff.err).toContain("over --fail-above $4.00/h");
    await project.cli(["destroy", "--yes", "--skip-preview"]);
  }, 600_000);
});
