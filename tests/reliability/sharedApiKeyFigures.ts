import * as fs from "fs";
import * as path from "path";
import type { CloudStack } from "../harness/cloudStack";
import { REPO_ROOT } from "../harness/programDir";
import type { CloudUnderTest } from "./cloudsUnderTest";
import { gpcnUnderTest } from "./gpcn";
import { runSharedKey, type RateLimit, type SharedKeyRun } from "./sharedApiKey";

// Figures for "several stacks, one API key": the same number of VMs made by one process and by
// 2, 3 and 4 processes sharing the key, under GPCN's documented 100 requests / 60 s with its
// X-RateLimit-* headers (the other clouds document neither numbers nor headers, only 429 with
// Retry-After, which the fault matrix covers). Several minutes; not part of `npm test`
// (run: npx jest --testMatch '**/sharedApiKeyFigures.ts').
// Writes .tmp/shared-api-key.json and prints a table.

jest.setTimeout(1_800_000);

const plans: { cloud: CloudUnderTest; limit: RateLimit; total: number; processes: number[] }[] = [
  { cloud: gpcnUnderTest, limit: { limit: 100, windowMs: 60_000 }, total: 120, processes: [1, 2, 3, 4] },
];

test("figures", async () => {
  const rows: (SharedKeyRun & { cloud: string })[] = [];
  for (const plan of plans) {
    const stack: CloudStack<any> = await plan.cloud.startStack();
    try {
      const shared = await plan.cloud.prepare(stack);
      for (const processes of plan.processes) {
        const run = await runSharedKey(plan.cloud, stack, { processes, vmsPerProcess: plan.total / processes, rateLimit: plan.limit, shared, label: `f${processes}` });
        rows.push({ cloud: plan.cloud.cloud, ...run });
        console.log(`${plan.cloud.cloud} ${processes} × ${run.vmsPerProcess}: failed ${run.failed.length}, requests ${run.requests}, 429 ${run.rateLimited429}, wall ${(run.wallMs / 1000).toFixed(1)} s`);
      }
    } finally {
      await stack.close();
    }
  }
  fs.writeFileSync(path.join(REPO_ROOT, ".tmp", "shared-api-key.json"), JSON.stringify(rows, null, 2));
  expect(rows.every((r) => r.failed.length === 0)).toBe(true);
});
