import type { CloudStack } from "../harness/cloudStack";
import { gpcnUnderTest } from "./gpcn";
import { runSharedKey } from "./sharedApiKey";

// Three stacks with one GPCN API key run `up` at once under GPCN's documented limit (100 requests
// per 60 s per user, with X-RateLimit-Limit/-Remaining/-Reset on every answer and Retry-After on
// a 429). Together they need more than one window: every VM must still be made, and the 429s stay
// few (each process learns from the headers that the shared window is spent, instead of retrying
// into it).

jest.setTimeout(240_000);

const GPCN_LIMIT = { limit: 100, windowMs: 60_000 };
let stack: CloudStack<any>;
let shared: Record<string, unknown>;

beforeAll(async () => {
  stack = await gpcnUnderTest.startStack();
  shared = await gpcnUnderTest.prepare(stack);
});
afterAll(() => stack?.close());

test("3 processes × 40 VMs on one GPCN key: 0 failed, 429s bounded, no retry storm", async () => {
  const run = await runSharedKey(gpcnUnderTest, stack, { processes: 3, vmsPerProcess: 40, rateLimit: GPCN_LIMIT, shared, label: "shared" });
  expect(run.failed).toEqual([]);
  const windows = Math.ceil(run.wallMs / GPCN_LIMIT.windowMs);
  // A few 429s per process per window at most (where the processes' views of the window lag
  // each other), never a storm: a process that got one waits for the reset.
  expect(run.rateLimited429).toBeLessThanOrEqual(2 * run.processes * windows);
  // No storm: the 429s are the only requests beyond what the creates needed.
  expect(run.requests - run.rateLimited429).toBeLessThanOrEqual(windows * GPCN_LIMIT.limit);
});
