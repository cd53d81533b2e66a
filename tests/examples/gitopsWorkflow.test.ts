import * as fs from "fs";
import * as path from "path";
import { EXAMPLES_DIR } from "./examplePrograms";

// examples/gitops/.github/workflows/pulumi.yml: parsed with the js-yaml that @pulumi/pulumi
// already depends on, then checked for the flow the README promises.

const WORKFLOW = path.join(EXAMPLES_DIR, "gitops", ".github", "workflows", "pulumi.yml");
const text = fs.readFileSync(WORKFLOW, "utf8");
const yaml = require(require.resolve("js-yaml", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
const workflow = yaml.load(text);

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
const stepsOf = (job: string): Step[] => workflow.jobs[job].steps;
const pulumiStep = (job: string) => {
  const found = stepsOf(job).filter((s) => s.uses?.startsWith("pulumi/actions@"));
  expect(found).toHaveLength(1);
  return found[0];
};

test("the workflow parses and triggers on pull requests and on pushes to main", () => {
  expect(workflow.on.pull_request).toBeDefined();
  expect(workflow.on.push.branches).toEqual(["main"]);
  expect(workflow.permissions["pull-requests"]).toBe("write");
});

test("pull requests run `pulumi preview` and post it on the PR; main runs `pulumi up`", () => {
  expect(workflow.jobs.preview.if).toMatch(/pull_request/);
  expect(pulumiStep("preview")).toMatchObject({ uses: "pulumi/actions@v6", with: { command: "preview", "comment-on-pr": true } });
  expect(workflow.jobs.up.if).toMatch(/push/);
  expect(workflow.jobs.up.if).toMatch(/refs\/heads\/main/);
  expect(pulumiStep("up")).toMatchObject({ uses: "pulumi/actions@v6", with: { command: "up" } });
  for (const job of ["preview", "up"]) {
    const steps = stepsOf(job);
    const install = steps.findIndex((s) => s.run === "npm ci");
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(steps.indexOf(pulumiStep(job))); // dependencies before the program runs
  }
});

test("credentials come only from CI secrets, and no literal secret is in the file", () => {
  for (const name of ["PULUMI_ACCESS_TOKEN", "GPCN_API_KEY", "NOVA_API_KEY", "NOVITA_API_KEY", "FLUENCE_API_KEY"]) {
    expect(workflow.env[name]).toBe(`\${{ secrets.${name} }}`);
  }
  // Every value that looks like a credential is a ${{ secrets.* }} expression.
  const values: [string, unknown][] = [];
  const walk = (node: unknown, key: string) => {
    if (Array.isArray(node)) node.forEach((v) => walk(v, key));
    else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, k);
    else values.push([key, node]);
  };
  walk(workflow, "");
  const credentialKeys = values.filter(([k]) => /token|key|secret|password/i.test(k));
  expect(credentialKeys.length).toBeGreaterThan(0);
  for (const [key, value] of credentialKeys) expect([key, value]).toEqual([key, expect.stringMatching(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/)]);
  // Known key shapes of the four clouds and of Pulumi never appear anywhere in the text.
  expect(text).not.toMatch(/\b(gpcn_|nv_live_|pul-)[A-Za-z0-9]{8,}/);
  expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
});

test("pull requests get the GPU cost of the change as one comment, updated in place, and fail over the budget", () => {
  const steps = stepsOf("preview");
  const comment = steps.find((s) => /cost diff --format markdown/.test(String(s.run)))!;
  expect(comment.run).toMatch(/pulumi preview .*--json --show-sames > preview\.json/);
  // The marker the markdown starts with (provider/cost/costFormat.ts) finds the earlier comment.
  expect(comment.run).toContain('startswith("<!-- pulumi-gpucloud cost diff -->")');
  expect(comment.run).toMatch(/-X PATCH .*issues\/comments\/\$id/);
  const budget = steps.find((s) => /--fail-above/.test(String(s.run)))!;
  expect(steps.indexOf(budget)).toBeGreaterThan(steps.indexOf(comment)); // the comment is posted even when over budget
});
