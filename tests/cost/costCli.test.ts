import * as fs from "fs";
import * as path from "path";
import { runCostCli } from "../../provider/cost/cli";

// `pulumi-gpucloud cost diff|report` on documents the real engine printed (tests/e2e/costDiff.test.ts
// wrote fixtures/preview-*.json: a create of one GPCN VM priced $2.50/h, then a replace to a $4.75/h
// SKU) and on variations of them: a delete, a 0.1.0 state with only Nova's old `hourlyRate`, bad input.

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const CREATE = fixture("preview-create.json");
const REPLACE = fixture("preview-replace.json");

function run(args: string[], input: string) {
  let out = "";
  let err = "";
  const code = runCostCli(args, { readInput: () => input, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const vmStep = (doc: any) => doc.steps.find((s: any) => /GpuVm$/.test(s.newState?.type ?? s.oldState?.type));

describe("cost diff", () => {
  test("a create: +$2.50/h, totals per hour and per 30 days", () => {
    const r = run(["cost", "diff"], CREATE);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\+\$2\.50\/h\s+gpcn:GpuVm trainer\s+create/);
    expect(r.out).toContain("per hour:    $0.00 → $2.50 (+$2.50)");
    expect(r.out).toContain("per 30 days: $0.00 → $1,800.00 (+$1,800.00)");
  });

  test("a replace names the fields; markdown for a pull request; the SSH key is not a machine", () => {
    const r = run(["cost", "diff", "--format", "markdown"], REPLACE);
    expect(r.code).toBe(0);
    expect(r.out).toContain("| `trainer` | gpcn:GpuVm | replace (gpuCount, skuCode) | +$2.25/h |");
    expect(r.out).toContain("| per 30 days | $1,800.00 | $3,420.00 | +$1,620.00 |");
    expect(r.out).not.toContain("SshKey");
  });

  test("--fail-above fails on the total after, --fail-above-increase on the increase", () => {
    expect(run(["cost", "diff", "--fail-above", "5"], REPLACE).code).toBe(0);
    const over = run(["cost", "diff", "--fail-above", "4.5"], REPLACE);
    expect(over.code).toBe(1);
    expect(over.err).toContain("the stack would cost $4.75/h, over --fail-above $4.50/h");
    expect(run(["cost", "diff", "--fail-above-increase", "2.25"], REPLACE).code).toBe(0);
    expect(run(["cost", "diff", "--fail-above-increase", "2"], REPLACE).code).toBe(1);
  });

  test("a delete is -$X.XX/h; state from before pricePerHour is read through the old names", () => {
    const doc = JSON.parse(REPLACE);
    const vm = vmStep(doc);
    vm.op = "delete";
    delete vm.newState;
    const { pricePerHour, ...outs } = vm.oldState.outputs;
    vm.oldState.outputs = { ...outs, hourlyRate: pricePerHour };
    const r = run(["cost", "diff"], JSON.stringify(doc));
    expect(r.out).toMatch(/-\$2\.50\/h\s+gpcn:GpuVm trainer\s+delete/);
    expect(r.out).toContain("per hour:    $2.50 → $0.00 (-$2.50)");
  });

  test("a machine without a price is listed and left out of the totals, which say so", () => {
    const doc = JSON.parse(CREATE);
    const vm = vmStep(doc);
    delete vm.newState.inputs.pricePerHour;
    delete vm.newState.outputs?.pricePerHour;
    const r = run(["cost", "diff"], JSON.stringify(doc));
    expect(r.out).toMatch(/price unknown\s+gpcn:GpuVm trainer\s+create/);
    expect(r.out).toContain("not in the totals (price unknown): trainer");
  });

  test.each([
    ["malformed JSON", ["cost", "diff"], CREATE.slice(0, 200), /not valid JSON/],
    ["JSON that is no preview", ["cost", "diff"], '{"hello": 1}', /not a `pulumi preview --json` document/],
    ["a negative threshold", ["cost", "diff", "--fail-above", "-1"], CREATE, /--fail-above needs a non-negative number/],
    ["a threshold that is no number", ["cost", "diff", "--fail-above-increase", "ten"], CREATE, /non-negative number/],
    ["an unknown format", ["cost", "diff", "--format", "html"], CREATE, /--format must be text or markdown/],
    ["an unknown command", ["cost", "forecast"], CREATE, /unknown command/],
    ["a stack export that is not JSON", ["cost", "report"], "{", /not valid JSON/],
  ])("%s: a clear error, exit code 2, nothing printed on stdout", (_label, args, input, message) => {
    const r = run(args as string[], input as string);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message as RegExp);
    expect(r.out).toBe("");
  });
});

describe("cost report", () => {
  // A `pulumi stack export` holds the same resource states the preview's oldState shows.
  const exportOf = (extra: any[] = []) => {
    const doc = JSON.parse(REPLACE);
    const resources = doc.steps.map((s: any) => ({ urn: s.urn, type: s.oldState.type, id: s.oldState.id, custom: true, outputs: s.oldState.outputs }));
    return JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [...resources, ...extra] } });
  };
  const stoppedNova = {
    urn: "urn:pulumi:e2e::cost-diff::pulumi-nodejs:dynamic/nova:GpuVm::idle",
    type: "pulumi-nodejs:dynamic/nova:GpuVm",
    id: "3c90c3cc",
    outputs: { status: "stopped", pricePerHour: 0.69, currency: "USD", storageHourlyRate: 0.01 },
  };

  test("running and stopped machines with their rates and the total (a stopped Nova VM at its storage rate)", () => {
    const r = run(["cost", "report"], exportOf([stoppedNova]));
    expect(r.code).toBe(0);
    expect(r.out).toContain("1 running, 1 stopped");
    expect(r.out).toMatch(/running\s+trainer\s+gpcn:GpuVm\s+\$2\.50\/h/);
    expect(r.out).toMatch(/stopped\s+idle\s+nova:GpuVm\s+\$0\.01\/h/);
    expect(r.out).toContain("total: $2.51/h, $1,807.20 per 30 days");
  });

  test("--json for scripts", () => {
    const r = run(["cost", "report", "--json"], exportOf());
    expect(JSON.parse(r.out)).toMatchObject({ running: 1, stopped: 0, totalPerHour: 2.5, machines: [{ name: "trainer", state: "running", pricePerHour: 2.5, currency: "USD" }] });
  });
});

// fixtures/preview-power.json keeps the engine's step shape (preview-replace.json's steps, with
// `diffReasons` as `pulumi preview --json` prints them for an update): a Nova VM stopped, a Novita
// instance stopped while its disk grows, a stopped GPCN VM started, and a Nova VM already stopped.
describe("cost diff: stop and start", () => {
  const POWER = fixture("preview-power.json");

  test("an update that stops or starts prints stop / start with the rate change, not update", () => {
    const r = run(["cost", "diff"], POWER);
    expect(r.code).toBe(0);
    // Nova bills only the disk once stopped: its storageHourlyRate from the state ($0.01/h).
    expect(r.out).toMatch(/-\$0\.59\/h\s+nova:GpuVm idle\s+stop\n/);
    // Novita documents no stopped price: $0, and a note says so; the disk change is named.
    expect(r.out).toMatch(/-\$0\.35\/h\s+novita:GpuVm notebook\s+stop \(also rootfsSize\)\n/);
    expect(r.out).toMatch(/\+\$2\.50\/h\s+gpcn:GpuVm trainer\s+start\n/);
    expect(r.out).not.toMatch(/\bupdate\b/);
    expect(r.out).not.toContain("parked"); // unchanged: only in the totals, at its storage rate
    // before: 0.60 + 0.35 + 0 (GPCN stopped) + 0.01 (parked); after: 0.01 + 0 + 2.50 + 0.01
    expect(r.out).toContain("per hour:    $0.96 → $2.52 (+$1.56)");
    expect(r.out).toContain("Novita documents no price for a stopped machine: counted as $0 (notebook)");
    expect(r.out).toContain("GPCN documents no price for a stopped machine: counted as $0 (trainer)");
  });

  test("markdown names stop and start too; --fail-above-increase sees the start", () => {
    const r = run(["cost", "diff", "--format", "markdown"], POWER);
    expect(r.out).toContain("| `idle` | nova:GpuVm | stop | -$0.59/h |");
    expect(r.out).toContain("| `trainer` | gpcn:GpuVm | start | +$2.50/h |");
    expect(run(["cost", "diff", "--fail-above-increase", "1.5"], POWER).code).toBe(1);
  });

  test("a stop that the state cannot price (Nova without storageHourlyRate) is listed and left out of the totals", () => {
    const doc = JSON.parse(POWER);
    const idle = doc.steps.find((s: any) => s.urn.endsWith("::idle"));
    delete idle.oldState.outputs.storageHourlyRate;
    const r = run(["cost", "diff"], JSON.stringify(doc));
    expect(r.out).toMatch(/price unknown\s+nova:GpuVm idle\s+stop/);
    expect(r.out).toContain("not in the totals (price unknown): idle");
  });

  test("without diffReasons the changed inputs are compared; an update that changes no power state stays update", () => {
    const doc = JSON.parse(POWER);
    for (const s of doc.steps) delete s.diffReasons;
    const notebook = doc.steps.find((s: any) => s.urn.endsWith("::notebook"));
    expect(run(["cost", "diff"], JSON.stringify(doc)).out).toMatch(/novita:GpuVm notebook\s+stop \(also rootfsSize\)/);
    notebook.newState.inputs.powerState = undefined;
    notebook.newState.outputs.powerState = undefined;
    expect(run(["cost", "diff"], JSON.stringify(doc)).out).toMatch(/\+\$0\.00\/h\s+novita:GpuVm notebook\s+update\n/);
  });
});

describe("cost report: stopped machines", () => {
  test("Nova at its storage rate; Novita and GPCN listed with no documented rate, out of the total", () => {
    const doc = JSON.parse(fixture("preview-power.json"));
    // The stack after that preview's `up`: each machine in its declared state, in its cloud's own status words.
    const statusAfter: Record<string, string> = { idle: "stopped", notebook: "exited", trainer: "Running", parked: "stopped" };
    const resources = doc.steps.map((s: any) => {
      const name = s.urn.split("::").pop();
      const outputs = statusAfter[name] ? { ...s.oldState.outputs, powerState: s.newState.inputs.powerState, status: statusAfter[name] } : s.oldState.outputs;
      return { urn: s.urn, type: s.newState.type, id: s.oldState.id, custom: true, outputs };
    });
    const r = run(["cost", "report", "--json"], JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }));
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ running: 1, stopped: 3, unpriced: ["notebook"] });
    expect(report.machines.find((m: any) => m.name === "idle")).toMatchObject({ state: "stopped", pricePerHour: 0.01 });
    expect(report.machines.find((m: any) => m.name === "notebook")).toMatchObject({ state: "stopped", note: "Novita documents no price for a stopped machine" });
    expect(report.totalPerHour).toBe(2.52);
    const text = run(["cost", "report"], JSON.stringify({ version: 3, deployment: { manifest: {}, resources } })).out;
    expect(text).toMatch(/stopped\s+notebook\s+novita:GpuVm\s+price unknown\s+exited/);
    expect(text).toContain("Novita documents no price for a stopped machine");
  });
});
