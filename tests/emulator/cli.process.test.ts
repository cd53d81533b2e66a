import { callUrl } from "./gpcnTestClient";
import { CliProcess, freeConsecutivePorts } from "./cliProcess";

// The built CLI, spawned as a user runs it: faults from the command line reach the emulator,
// bad ones stop it with exit code 2, and --cloud all serves every cloud on consecutive ports.

const started: CliProcess[] = [];
const run = (...args: string[]) => {
  const cli = new CliProcess(args);
  started.push(cli);
  return cli;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((cli) => cli.stop()));
});

const READY = /^Ready\. Ctrl-C stops\.$/;
const adminOrigins = (cli: CliProcess) => cli.stdout.map((l) => /^  admin: (http:\/\/127\.0\.0\.1:\d+)\/_admin\/state$/.exec(l)?.[1]).filter((o): o is string => !!o);
const armed = async (origin: string) => (await (await fetch(`${origin}/_admin/faults`)).json()).faults;

test("--fault arms a knob that the next requests hit, and SIGTERM stops the emulator cleanly", async () => {
  const cli = run("--cloud", "gpcn", "--port", "0", "--fault", 'rateLimitBurst={"count":2,"retryAfterSec":7}');
  await cli.waitForLine(READY);
  const url = /^GPCN emulator listening on (\S+)$/.exec(await cli.waitForLine(/^GPCN emulator listening on /))![1];
  const [origin] = adminOrigins(cli);
  expect(cli.stdout).toContain('[gpcn] fault armed: rateLimitBurst {"count":2,"retryAfterSec":7}');
  expect(await armed(origin)).toEqual({ rateLimitBurst: { count: 2, retryAfterSec: 7 } });

  const first = await callUrl(`${url}/auth/check`, "GET", { key: "gpcn_test_key" });
  expect(first.status).toBe(429);
  expect(first.headers.get("retry-after")).toBe("7");
  expect((await callUrl(`${url}/auth/check`, "GET", { key: "gpcn_test_key" })).status).toBe(429);
  expect((await callUrl(`${url}/auth/check`, "GET", { key: "gpcn_test_key" })).status).toBe(200); // used up
  await cli.waitForLine(/^\[gpcn\] .*GET \/v1\/auth\/check 200/);
  expect(await armed(origin)).toEqual({});

  expect(await cli.stop()).toBe(0);
  expect(cli.stdout).toContain("Received SIGTERM, shutting down");
});

test("SIGINT (Ctrl-C) stops the emulator cleanly too", async () => {
  const cli = run("--cloud", "gpcn", "--port", "0");
  await cli.waitForLine(READY);
  const [origin] = adminOrigins(cli);
  expect((await fetch(`${origin}/_admin/state`)).status).toBe(200);
  expect(await cli.stop("SIGINT")).toBe(0);
  expect(cli.stdout).toContain("Received SIGINT, shutting down");
  await expect(fetch(`${origin}/_admin/state`)).rejects.toThrow();
});

test.each([
  ["an unknown knob", 'bogusKnob={"count":1}', /unknown knob "bogusKnob" \(known on gpcn: rateLimitBurst, .*capacityNextCreates/],
  ["a bad value, in the admin endpoint's words", 'serverErrorBurst={"count":1,"status":404}', /serverErrorBurst: status must be 500, 502 or 503/],
  ["a bad count", 'capacityNextCreates={"count":-1}', /capacityNextCreates: count must be an integer >= 0/],
  ["a knob of another cloud", 'nova:failNextCreates={"count":1}', /cloud "nova" is not running/],
  ["a value that is not JSON", "rateLimitBurst={count:1}", /the value after "=" must be JSON/],
  ["no =", "rateLimitBurst", /must look like \[<cloud>:\]<knob>=<json>/],
])("--fault with %s: exit code 2 and a clear error before any \"listening\" line, nothing left running", async (_what, fault, message) => {
  const cli = run("--cloud", "gpcn", "--port", "0", "--fault", fault);
  expect(await cli.exited).toBe(2);
  expect(cli.stderr.join("\n")).toMatch(message);
  expect(cli.stdout.join("\n")).not.toMatch(/Ready/);
  expect(cli.stdout.join("\n")).not.toMatch(/listening/); // refused before any endpoint was announced
});

test("--cloud all serves every cloud on consecutive ports, prints each one's config lines, and arms faults per cloud", async () => {
  const base = await freeConsecutivePorts(4);
  const cli = run("--cloud", "all", "--port", String(base), "--time-scale", "60",
    "--fault", 'connectionResetBurst={"count":1,"method":"DELETE"}',
    "--fault", 'novita:rejectNextCreates={"count":1,"reason":"GPU_SPEC_USED"}');
  await cli.waitForLine(READY);
  const endpoints = cli.stdout.filter((l) => / emulator listening on /.test(l));
  expect(endpoints).toEqual([
    `GPCN emulator listening on http://127.0.0.1:${base}/v1 (time scale 60)`,
    `Novita emulator listening on http://127.0.0.1:${base + 1}/gpu-instance/openapi/v1 (time scale 60)`,
    `Nova Cloud emulator listening on http://127.0.0.1:${base + 2} (time scale 60)`,
    `Fluence emulator listening on http://127.0.0.1:${base + 3} (time scale 60)`,
  ]);
  for (const [cloud, port] of [["gpcn", base], ["novita", base + 1], ["nova", base + 2], ["fluence", base + 3]] as const) {
    expect(cli.stdout).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^  pulumi config set ${cloud}:endpoint http://127\\.0\\.0\\.1:${port}`)), expect.stringMatching(new RegExp(`^  pulumi config set --secret ${cloud}:apiKey \\S+$`))]));
  }
  const origins = adminOrigins(cli);
  expect(origins).toEqual([0, 1, 2, 3].map((i) => `http://127.0.0.1:${base + i}`));
  const [gpcn, novita, nova, fluence] = await Promise.all(origins.map(armed));
  const reset = { connectionResetBurst: { count: 1, method: "DELETE" } };
  expect(gpcn).toEqual(reset);
  expect(nova).toEqual(reset);
  expect(fluence).toEqual(reset);
  expect(novita).toEqual({ ...reset, rejectNextCreates: { count: 1, reason: "GPU_SPEC_USED" } });
});
