/** `pulumi-gpucloud-emulator --help`: every flag, every cloud's fault knobs, the admin endpoints. */

// Knobs every cloud has (emulator/core/faults.ts), then each cloud's own (emulator/<cloud>/faultKnobs.ts).
// tests/emulator/cli.help.test.ts fails when a running cloud has a knob this table does not list.
const CORE_KNOBS: [string, string][] = [
  ["rateLimitBurst", '{"count":N,"retryAfterSec":S}  the next N requests get 429 with Retry-After: S'],
  ["serverErrorBurst", '{"count":N,"status":500|502|503,"html"?:true}  the next N requests get that error'],
  ["connectionResetBurst", '{"count":N}  the next N requests have their connection reset'],
];

const CLOUD_KNOBS: Record<string, [string, string][]> = {
  gpcn: [
    ["failNextJobs", '{"count":N,"operation"?:"create"|"delete","message"?:"…"}  jobs fail part-way (VM ends in Error)'],
    ["stuckNextJobs", '{"count":N,"operation"?:"create"|"delete"}  jobs never complete'],
    ["capacityNextCreates", '{"count":N}  creates get 409 "Inventory depleted"'],
    ["unavailableNextCreates", '{"count":N}  creates get 503 "GPU provider not available"'],
    ["loseCreateResponse", '{"count":N}  the VM is created, then the connection is reset'],
    ["startNotImplemented", '{"count":N}  single-VM starts get 501 (the older guide\'s "upstream cannot start")'],
  ],
  nova: [
    ["failNextCreates", '{"count":N}  VMs go creating -> failed'],
    ["stuckNextCreates", '{"count":N}  VMs reach starting and never run'],
    ["capacityNextCreates", '{"count":N}  creates get 400 "Not enough available GPUs on node …"'],
    ["loseCreateResponse", '{"count":N}  the VM is created, then the connection is reset'],
  ],
  novita: [
    ["rejectNextCreates", '{"count":N,"reason"?:"INSUFFICIENT_RESOURCE"|"BALANCE_NOT_ENOUGH"|"CREATE_INSTANCE_LIMIT"|"GPU_SPEC_USED","message"?:"…"}  creates are refused'],
    ["loseCreateResponse", '{"count":N}  the instance is created, then the connection is reset'],
    ["failNextStarts", '{"count":N,"message"?:"…"}  instances end exited with a statusError while pulling'],
    ["stuckNextStarts", '{"count":N}  instances stay pulling forever'],
  ],
  fluence: [
    ["failNextDeploys", '{"count":N}  deployments end FAILED (the reserve is refunded)'],
    ["stuckNextDeploys", '{"count":N}  deployments stay INITIALIZED'],
    ["planGoneNextDeploys", '{"count":N}  deploys get 400 "Plan is no longer available"'],
    ["loseDeployResponse", '{"count":N}  the instance is deployed, then the connection is reset'],
  ],
};

const knobLines = (knobs: [string, string][]) => knobs.map(([name, what]) => `    ${name.padEnd(24)}${what}`);

export function usage(cloudNames: string[]): string {
  return [
    "Usage: pulumi-gpucloud-emulator [options]",
    "",
    "Local, stateful emulators of the GPU clouds: point a stack at one to preview, deploy and break",
    "it on purpose without spending money. Every request is logged; Ctrl-C stops.",
    "",
    "Options:",
    `  --cloud <name>       ${[...cloudNames, "all"].join(" | ")} (default gpcn); "all" starts every cloud on consecutive ports`,
    "  --port <n>           port to listen on (default 8080; 0 = random); with --cloud all, the first of consecutive ports",
    "  --time-scale <x>     emulated seconds per real second (default 1; 180 makes a 180 s job take 1 s)",
    "  --seed <s>           reproducible resource ids",
    "  --api-key <key>      accepted API key (default: the cloud's test key)",
    "  --fault [<cloud>:]<knob>=<json>",
    "                       arm a fault knob at start (repeatable); without <cloud>: on every started cloud that has",
    "                       the knob. A bad knob or value is an error (exit 2). Example:",
    `                       --fault rateLimitBurst='{"count":3,"retryAfterSec":2}' --fault gpcn:capacityNextCreates='{"count":1}'`,
    "  -h, --help           show this help",
    "",
    "Fault knobs. Each takes a JSON object with \"count\" (how many matching requests or operations it",
    "affects, then it is used up), optional filters \"method\" and \"pathPrefix\", and optional \"skip\" (how many",
    "matching requests or operations pass untouched first: {\"count\":1,\"skip\":2} on loseCreateResponse loses the",
    "answer of the third create).",
    "  every cloud:",
    ...knobLines(CORE_KNOBS),
    ...cloudNames.flatMap((name) => [`  ${name}:`, ...(CLOUD_KNOBS[name] ? knobLines(CLOUD_KNOBS[name]) : ["    (see GET /_admin/faults)"])]),
    "",
    "Admin endpoints (on each emulator's origin; never rate-limited or faulted):",
    "  GET  /_admin/state        armed faults, known knobs, request stats, rate limit, time scale, the cloud's resources",
    "  GET  /_admin/faults       armed knobs and known knob names",
    "  POST /_admin/faults       {\"<knob>\": {...} | null, \"clear\"?: true | [names]}   arm or clear knobs",
    "  POST /_admin/reset        clear faults, rate-limit windows, request log and cloud state",
    "  POST /_admin/time-scale   {\"timeScale\": x}",
    "  POST /_admin/rate-limit   {\"limit\": n, \"windowMs\": ms, \"mode\"?: \"fixed\"|\"sliding\"} or null for none",
    "  e.g. curl -X POST http://127.0.0.1:8080/_admin/faults -H 'content-type: application/json' -d '{\"capacityNextCreates\":{\"count\":1}}'",
    "",
    "Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 could not start (e.g. port in use), 2 bad arguments or fault knobs.",
  ].join("\n");
}
