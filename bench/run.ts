import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closeAllHosts } from "../tests/harness/dynamicHost";
import type { BenchCloud, BenchEmulator } from "./clouds";
import { benchColdStart } from "./coldStart";
import { benchCostCli, benchCostPreview } from "./cost";
import { openEmptyStack } from "./emptyProvider";
import { FLEET, FLEET_WALL_TARGET_MS, fleetRows, NAIVE_GRACE_MS, OUR_RPC_TIMEOUT_MS, runNaiveFleet, runOurFleet, variantRow, type FleetRun } from "./fleet";
import { fluenceBench } from "./fluence";
import { gpcnBench } from "./gpcn";
import { benchLag, PROVISIONING_SECONDS, TIME_SCALE } from "./lag";
import { novaBench } from "./nova";
import { novitaBench } from "./novita";
import { benchPlugin, PLUGIN_ASSUMPTIONS } from "./plugin";
import { benchPreview } from "./preview";
import { benchProviderSize } from "./providerSize";
import { machine, RESULTS_FILE, writeResults } from "./results";
import { ADAPTIVE_ASSUMPTION, adaptiveRow, runAdaptiveFleet } from "./adaptiveBudget";
import { runSharedKey, SHARED_KEY_ASSUMPTION, sharedKeyRows } from "./sharedKey";
import { openStack, type BenchStack } from "./stack";
import { sleep } from "./stats";
import { fmt, ratio, renderNotes, renderTable, type Row } from "./table";

// `npm run bench`: every benchmark for every cloud, one table with figures and ratios
// against a naive baseline measured in the same run, written to bench/RESULTS.md.
// Options: --only=size,cold,lag,preview,fleet,sharedkey,adaptive,plugin,cost  --cloud=gpcn,nova  (a partial run does not write RESULTS.md).
// The native plugin's rows (bench/plugin.ts) run once, on GPCN, after everything else.
// Each cloud is one entry here; its rows appear under every metric, the clouds of one metric side by side.
// Order: size, cold start, lag and preview cloud by cloud (nothing else runs meanwhile), then the
// fleets: ours one cloud after another, each alone until it is done or its wall-time target has
// passed, then the naive fleets of every cloud together (and any of ours still running).

const benchClouds: BenchCloud[] = [gpcnBench, novaBench, novitaBench, fluenceBench];

// Every host of this run keeps observed provisioning times (provider/core/provisioningTimes.ts) in a
// fresh directory, inherited through the environment: the run starts cold, whatever earlier runs
// or the user's own deployments left in ~/.cache, and writes nothing there.
process.env.GPUCLOUD_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "gpucloud-bench-cache-"));

const BENCHES = ["size", "cold", "lag", "preview", "fleet", "sharedkey", "adaptive", "plugin", "cost"] as const;
type Bench = (typeof BENCHES)[number];
/** The whole run must end by itself: a stuck benchmark prints what it has and exits non-zero. */
const WATCHDOG_MS = 11 * 60_000;
/** Longest a fleet of ours may take to reach its creates (host start, key, 64 checks) before the next starts anyway. */
const FLEET_SETUP_MAX_MS = 60_000;

// Where each metric's rows go in the table.
const SLOT = { size: 0, sizeNotApplicable: 1, cold: 2, lag: 3, preview: 5, fleet: 6, rss: 10, variant: 11, sharedKey: 11.5, adaptive: 11.7, plugin: 12, cost: 13, setup: -1 } as const;

const ASSUMPTIONS = [
  "Ours: a user's program with pulumi-gpucloud installed under node_modules (a copy, as npm leaves it), its real `__provider` captured under setMocks, driven through Pulumi's own dynamic-provider host over gRPC against the cloud's local emulator on 127.0.0.1. Every host gets `<cloud>:requestsPerMinute` = 100 in its stack config (the client's request budget; GPCN's and Novita's default, Nova's is 60 and Fluence's 120).",
  `Provisioning is the emulated ${PROVISIONING_SECONDS} s at time scale ×${TIME_SCALE} (${(PROVISIONING_SECONDS / TIME_SCALE).toFixed(0)} s real) on every cloud, through each emulator's own states: GPCN's create job, Nova's creating → starting → running, Novita's toCreate → creating → pulling → running, Fluence's INITIALIZED → ACTIVE. Rate-limit windows are real time, never scaled (except for a time-warped provider in the lag benchmark, below).`,
  "Lag: create RPC returned − the emulator's completion time (GPCN: job completedAt; Nova: the VM's started_at; Novita: its create's wall time + 180 s ÷ 60, as its view has no ready time; Fluence: updated_at of the ACTIVE instance). The naive schedule is run in emulated time (its delays ÷ the time scale) and its gap between completion and the poll that saw it is multiplied back, so both columns are what a real 3-minute job would see. Our 20 lag creates run in 4 concurrent groups of 5; the naive ones run without a rate limit (in its favour).",
  `Lag and requests per create where the cloud gives no completion estimate (Nova, Novita, Fluence): our provider then schedules its polls in real seconds from the provisioning times of machines of the same kind seen before (provider/core/provisioningTimes.ts: this run, a per-user cache, Fluence's documented 2–3 minutes; the bench gives every run a fresh, empty cache directory, so the first group of lag creates starts cold) or a backoff, which against a ×${TIME_SCALE} emulator would look ${TIME_SCALE}× better than for a real job. So its waits are run ÷${TIME_SCALE} as well: bench/timeWarp.ts, preloaded in that host only, divides the provider clock's sleeps (provider/core/clock.ts systemClock.sleep) by ${TIME_SCALE} and gives each wait a clock reading emulated time; the emulator's limit is 100 per ${60 / TIME_SCALE} s real (= 100 per emulated minute) and the host's budget ${100 * TIME_SCALE}/min. A pass-through proxy (bench/requestTap.ts) records when each status read reached the emulator; lag = (read that saw the VM ready − completion) × ${TIME_SCALE} + (create returned − that read). Real time spent in requests and timers between its polls also counts × ${TIME_SCALE} (the few ms of each read become ~0.2 s of drift per read, about what a real API's latency adds), while the naive timeline is kept free of it: the ratio leans against ours. GPCN's provider schedules from the job's estimatedCompletion (wall time), so it runs unchanged with the emulator enforcing 100 req / 60 s.`,
  "Requests per create: emulator request count around one create alone, after the 20 lag creates of its kind, as a user's next create (for the three clouds above, with the provider's waits run in emulated time, i.e. the polls a real 3-minute create makes).",
  `Fleet: ${FLEET} creates sent at once to one host; the emulator enforces 100 requests / 60 s (fixed window, real time) from the first create on (Nova's public /search is counted per IP, a window of its own). The fleets run after all other benchmarks: each cloud's fleet of ours alone until it finished or its wall-time target passed (provisioning + 15 s after the creates went out); a cloud's diagnostic variants follow its fleet, alone too, when it was done in time. A fleet still running at its target goes on beside the next cloud's fleet and then beside the naive fleets, which run last, for all clouds together (one emulator each; their clients sleep most of the time), to keep the whole run within ~8 minutes on 2 cores. Our creates are cut off at ${OUR_RPC_TIMEOUT_MS / 1000} s (the create RPC deadline): a fleet cut off is reported with what it had done. The naive fleet is ${FLEET} independent clients running the Terraform schedule in real seconds, each giving up ${NAIVE_GRACE_MS / 1000} s after the provisioning time (past one reset of the window). Diagnostic variants rerun our fleet with changed inputs to show what a missed figure depends on.`,
  "`__provider` size: bytes of the text in state. The baseline serializes an object literal whose methods call the implementation captured by value with `pulumi.runtime.serializeFunction(() => provider, {allowSecrets: true})`, in a child node in the program dir. The change: a statement added to `create` and a comment appended in the installed copy's implementation files.",
  "Preview: a fresh host, Check then Diff for 100 existing VMs sent in parallel; every request to the emulator is counted. Cold start: spawn of a fresh host to the answer of its first Check (includes Configure and loading the provider), alternated with the empty provider (bench/fixtures/empty-provider) installed the same way.",
  "RSS: VmRSS of the node host process (the launcher is a sh script) right after the fleet (for a fleet cut off: with its creates still waiting); baseline: the empty provider's host after its preview.",
];

function parseArgs(argv: string[]): { only: Set<Bench>; clouds: BenchCloud[]; partial: boolean } {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = get("only")?.split(",") ?? [...BENCHES];
  const unknown = only.filter((b) => !BENCHES.includes(b as Bench));
  if (unknown.length) throw new Error(`bench: unknown benchmark(s) ${unknown.join(", ")}; known: ${BENCHES.join(", ")}`);
  const cloudNames = get("cloud")?.split(",");
  const clouds = cloudNames ? benchClouds.filter((c) => cloudNames.includes(c.name)) : benchClouds;
  if (clouds.length === 0) throw new Error(`bench: no such cloud; known: ${benchClouds.map((c) => c.name).join(", ")}`);
  return { only: new Set(only as Bench[]), clouds, partial: get("only") !== undefined || get("cloud") !== undefined };
}

function failedRow(cloud: string, bench: string, err: unknown, slot: number): Row {
  const message = String((err as Error)?.message ?? err).split("\n").slice(0, 3).join(" ");
  return { cloud, metric: `${bench} benchmark`, ours: "error", baseline: "—", ratio: "—", target: "runs", met: false, note: message.slice(0, 400), slot };
}

/** Rows of one metric together, the clouds side by side in `benchClouds` order. */
function ordered(rows: Row[], clouds: BenchCloud[]): Row[] {
  const cloudIndex = (name: string) => clouds.findIndex((c) => c.name === name);
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.slot ?? 99) - (b.r.slot ?? 99) || cloudIndex(a.r.cloud) - cloudIndex(b.r.cloud) || a.i - b.i)
    .map(({ r }) => r);
}

/** Where a resource type of one cloud has no counterpart in another: a row saying why. */
function notApplicableRows(cloud: BenchCloud, clouds: BenchCloud[]): Row[] {
  const hasKey = Object.keys(cloud.resourceNames).some((t) => t.endsWith(":SshKey"));
  if (hasKey || !clouds.some((c) => Object.keys(c.resourceNames).some((t) => t.endsWith(":SshKey")))) return [];
  return [
    {
      cloud: cloud.name,
      metric: `__provider bytes, ${cloud.name}:SshKey`,
      ours: "n/a",
      baseline: "—",
      ratio: "—",
      target: "—",
      met: null,
      note: `pulumi-gpucloud has no ${cloud.name}:SshKey: ${cloud.name === "novita" ? "Novita's GPU instance API has no SSH keys (access is by password or the image's own keys)" : "no such resource"}`,
      slot: SLOT.sizeNotApplicable,
    },
  ];
}

interface FleetReady {
  cloud: BenchCloud;
  stack: BenchStack;
  /** RSS of the empty provider's host after its preview, for the RSS row. */
  emptyRss: number;
}

async function main(): Promise<number> {
  const { only, clouds, partial } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const rows: Row[] = [];
  let errors = 0;
  const print = () => {
    const all = ordered(rows, clouds);
    console.log(`\n${renderTable(all)}\n\nNotes:\n${renderNotes(all)}\n`);
  };
  const watchdog = setTimeout(async () => {
    console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up`);
    print();
    await closeAllHosts().catch(() => undefined);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  console.log(`bench: ${machine()}`);
  const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

  const empty = only.has("cold") || only.has("preview") ? await openEmptyStack() : undefined;
  const fleets: FleetReady[] = [];
  const sharedKeyStacks: { cloud: BenchCloud; stack: BenchStack }[] = [];
  const perCloudBenches = [...only].some((b) => b !== "plugin" && b !== "cost");
  try {
    // Phase 1: everything but the fleets, cloud by cloud, one thing at a time.
    for (const cloud of perCloudBenches ? clouds : []) {
      const step = async (bench: Bench, slot: number, run: () => Promise<void>) => {
        // The preview reuses a VM the lag benchmark created.
        if (!only.has(bench) && !(bench === "lag" && only.has("preview"))) return;
        const s = performance.now();
        process.stdout.write(`bench: ${cloud.name} ${bench} … `);
        try {
          await run();
          console.log(elapsed(s));
        } catch (err) {
          console.log(`failed: ${(err as Error).message.split("\n")[0]}`);
          rows.push(failedRow(cloud.name, bench, err, slot));
          errors++;
        } finally {
          await closeAllHosts().catch(() => undefined);
        }
      };
      const add = (slot: number, added: Row[]) => rows.push(...added.map((r, i) => ({ ...r, slot: slot + i / 100 })));

      await step("size", SLOT.size, async () => void add(SLOT.size, [...(await benchProviderSize(cloud)), ...notApplicableRows(cloud, clouds)]));
      let stack: BenchStack | undefined;
      let quiet: BenchEmulator | undefined;
      try {
        stack = await openStack(cloud.name, cloud.program);
        // Where check/diff-only benchmarks point the host: any request they make is counted here.
        quiet = await cloud.startEmulator({ timeScale: TIME_SCALE, provisioningSeconds: PROVISIONING_SECONDS, rateLimit: null });
      } catch (err) {
        // One cloud that cannot even start must not hide the others' rows.
        rows.push(failedRow(cloud.name, "setup", err, SLOT.setup));
        errors++;
        await quiet?.close();
        stack?.close();
        continue;
      }
      const [st, q] = [stack, quiet];
      let keepStack = false;
      try {
        await step("cold", SLOT.cold, async () => void add(SLOT.cold, [await benchColdStart(cloud, st, empty!, q)]));
        let lag: Awaited<ReturnType<typeof benchLag>> | undefined;
        await step("lag", SLOT.lag, async () => {
          lag = await benchLag(cloud, st);
          if (only.has("lag")) add(SLOT.lag, lag.rows);
        });
        let emptyRss = NaN;
        await step("preview", SLOT.preview, async () => {
          if (!lag) throw new Error("needs a created VM from the lag benchmark, which failed");
          const preview = await benchPreview(cloud, st, empty!, q, lag.template, lag.programInputs);
          add(SLOT.preview, [preview.row]);
          emptyRss = preview.emptyRssBytes;
        });
        if (only.has("fleet")) {
          fleets.push({ cloud, stack: st, emptyRss });
          keepStack = true;
        }
        if (only.has("sharedkey") || (only.has("adaptive") && cloud.name === "nova")) {
          sharedKeyStacks.push({ cloud, stack: st });
          keepStack = true;
        }
      } finally {
        await q.close();
        if (!keepStack) st.close();
      }
    }

    // Phase 2: the fleets.
    if (fleets.length) await runFleets(fleets, rows, () => errors++, elapsed);
    // Phase 3: Nova's fleet with the provider's default (adaptive) budget against an emulator allowing more.
    const novaStack = only.has("adaptive") ? sharedKeyStacks.find((k) => k.cloud.name === "nova") : undefined;
    if (novaStack) {
      const s = performance.now();
      process.stdout.write("bench: nova fleet with the default (adaptive) budget, the cloud allowing more … ");
      try {
        rows.push({ ...adaptiveRow(novaStack.cloud, "60 / min guessed", await runAdaptiveFleet(novaStack.cloud, novaStack.stack)), slot: SLOT.adaptive });
        console.log(elapsed(s));
      } catch (err) {
        console.log(`failed: ${(err as Error).message.split("\n")[0]}`);
        rows.push(failedRow("nova", "adaptive budget fleet", err, SLOT.adaptive));
        errors++;
      }
    }
    // Phase 4: two processes on one key, every cloud side by side (one emulator each).
    if (sharedKeyStacks.length && only.has("sharedkey")) {
      const s = performance.now();
      process.stdout.write(`bench: two processes on one key, ${sharedKeyStacks.map((k) => k.cloud.name).join(", ")} side by side … `);
      const runs = await Promise.all(sharedKeyStacks.map((k) => runSharedKey(k.cloud, k.stack).then((r) => r, (e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
      console.log(elapsed(s));
      runs.forEach((r, i) => {
        const cloud = sharedKeyStacks[i].cloud;
        if (r instanceof Error) {
          rows.push(failedRow(cloud.name, "two processes on one key", r, SLOT.sharedKey));
          errors++;
        } else rows.push(...sharedKeyRows(cloud, r).map((row, k) => ({ ...row, slot: SLOT.sharedKey + k / 100 })));
      });
    }
    if (only.has("plugin")) {
      const s = performance.now();
      process.stdout.write("bench: native plugin (start, fleet memory, check + diff) … ");
      try {
        rows.push(...(await benchPlugin()).map((r, i) => ({ ...r, slot: SLOT.plugin + i / 100 })));
        console.log(elapsed(s));
      } catch (err) {
        console.log(`failed: ${(err as Error).message.split("\n")[0]}`);
        rows.push(failedRow("plugin", "plugin", err, SLOT.plugin));
        errors++;
      }
    }
    if (only.has("cost")) {
      // bench/cost.ts: the cost figures (prices in previews, cost diff, cost report), all clouds in one host, then the CLI on a 1,000-machine stack.
      const s = performance.now();
      process.stdout.write("bench: cost (preview with prices, cost diff, cost report) … ");
      try {
        const emulatorFor = (c: BenchCloud) => c.startEmulator({ timeScale: TIME_SCALE, provisioningSeconds: PROVISIONING_SECONDS, rateLimit: null });
        rows.push(...[await benchCostPreview(clouds, emulatorFor), ...benchCostCli()].map((r, i) => ({ ...r, slot: SLOT.cost + i / 100 })));
        console.log(elapsed(s));
      } catch (err) {
        console.log(`failed: ${(err as Error).message.split("\n")[0]}`);
        rows.push(failedRow("all", "cost", err, SLOT.cost));
        errors++;
      }
    }
  } finally {
    empty?.close();
    for (const f of fleets) f.stack.close();
    for (const k of sharedKeyStacks) if (!fleets.some((f) => f.stack === k.stack)) k.stack.close();
    await closeAllHosts().catch(() => undefined);
  }

  const wallMs = performance.now() - t0;
  const assumptions = [
    ...ASSUMPTIONS,
    ...(only.has("sharedkey") ? [SHARED_KEY_ASSUMPTION] : []),
    ...(only.has("adaptive") ? [ADAPTIVE_ASSUMPTION] : []),
    ...(only.has("plugin") ? PLUGIN_ASSUMPTIONS : []),
    ...clouds.filter((c) => c.setupNote).map((c) => c.setupNote!),
    ...clouds.map((c) => `Naive baseline, ${c.name}: ${c.naiveDescription}.`),
  ];
  print();
  const missed = rows.filter((r) => r.met === false);
  console.log(`bench: ${rows.filter((r) => r.met).length} targets met, ${missed.length} missed, in ${(wallMs / 1000).toFixed(0)} s`);
  const perCloud = (perCloudBenches ? clouds : []).map((c) => {
    const mine = rows.filter((r) => r.cloud === c.name);
    const miss = mine.filter((r) => r.met === false);
    return `${c.name}: ${mine.filter((r) => r.met).length} met, ${miss.length} missed${miss.length ? ` (${miss.map((r) => r.metric).join("; ")})` : ""}`;
  });
  for (const line of perCloud) console.log(`bench: ${line}`);
  if (partial) console.log("bench: partial run (--only/--cloud); RESULTS.md left as it was");
  else {
    writeResults(ordered(rows, clouds), startedAt, wallMs, assumptions, perCloud);
    console.log(`bench: wrote ${RESULTS_FILE}`);
  }
  clearTimeout(watchdog);
  // Missed targets are results, printed above; only a benchmark that could not run fails the run.
  return errors ? 1 : 0;
}

/**
 * Our fleets one cloud after another, each alone until it finished or its wall-time target has
 * passed since its creates went out; then the naive fleets of every cloud and the diagnostic
 * variants, all together, beside any fleet of ours still running. Every run ends by itself (our
 * creates' RPC deadline, the naive clients' deadline).
 */
async function runFleets(fleets: FleetReady[], rows: Row[], onError: () => void, elapsed: (since: number) => string): Promise<void> {
  const t = performance.now();
  const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
  const ours: { f: FleetReady; run: Promise<FleetRun | Error> }[] = [];
  const variants: { f: FleetReady; label: string; run: Promise<FleetRun | Error> }[] = [];
  const later: (() => void)[] = [];
  for (const f of fleets) {
    const s = performance.now();
    process.stdout.write(`bench: ${f.cloud.name} fleet (ours, alone) … `);
    let sentAt: number | undefined;
    let done = false;
    const run = runOurFleet(f.cloud, f.stack, undefined, () => (sentAt = Date.now())).then(
      (r) => r,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
    void run.then(() => (done = true));
    const startedAt = Date.now();
    for (let i = 0; i < 1000 && !done; i++) {
      const now = Date.now();
      if (sentAt !== undefined && now >= sentAt + FLEET_WALL_TARGET_MS) break;
      if (sentAt === undefined && now >= startedAt + FLEET_SETUP_MAX_MS) break;
      await Promise.race([run, sleep(100)]);
    }
    console.log(done ? elapsed(s) : `not done ${fmt.ms(FLEET_WALL_TARGET_MS)} after its creates went out; it goes on beside the rest`);
    ours.push({ f, run });
    // A fleet done in time is followed by its variants, alone too; otherwise they run with the naive fleets.
    for (const v of f.cloud.fleetVariants ?? []) {
      const start = () => runOurFleet(f.cloud, f.stack, v.vmInputs).then((r) => r, asError);
      if (done) {
        process.stdout.write(`bench: ${f.cloud.name} fleet variant (alone) … `);
        const vs = performance.now();
        const run = start();
        await run;
        console.log(elapsed(vs));
        variants.push({ f, label: v.label, run });
      } else later.push(() => variants.push({ f, label: v.label, run: start() }));
    }
  }
  for (const start of later) start();
  process.stdout.write(`bench: naive fleets of ${fleets.map((f) => f.cloud.name).join(", ")} together (with any fleet of ours still running) … `);
  const naive = fleets.map((f) =>
    runNaiveFleet(f.cloud).then(
      (r) => r,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    ),
  );
  const naiveDone = await Promise.all(naive);
  const oursDone = await Promise.all(ours.map((o) => o.run));
  const variantsDone = await Promise.all(variants.map((v) => v.run));
  console.log(`all fleets done ${elapsed(t)} after the first started`);

  fleets.forEach((f, i) => {
    const o = oursDone[i];
    const n = naiveDone[i];
    const slot = (k: number) => SLOT.fleet + k / 100;
    if (o instanceof Error || n instanceof Error) {
      const err = o instanceof Error ? o : (n as Error);
      console.log(`bench: ${f.cloud.name} fleet failed: ${err.message.split("\n")[0]}`);
      rows.push(failedRow(f.cloud.name, "fleet", err, SLOT.fleet));
      onError();
      return;
    }
    rows.push(...fleetRows(f.cloud, o, n).map((r, k) => ({ ...r, slot: slot(k) })));
    rows.push({
      cloud: f.cloud.name,
      metric: `host RSS after the ${FLEET}-VM fleet`,
      ours: fmt.mb(o.rssBytes ?? NaN),
      baseline: Number.isFinite(f.emptyRss) ? `${fmt.mb(f.emptyRss)} (empty provider host)` : "—",
      ratio: ratio(o.rssBytes ?? NaN, f.emptyRss),
      target: "≤ 200 MB",
      met: (o.rssBytes ?? Infinity) <= 200 * 1024 * 1024,
      note: o.cutOff ? "taken at the cut-off, with creates still waiting in the host" : undefined,
      slot: SLOT.rss,
    });
  });
  for (const f of fleets) {
    if (f.cloud.fleetVariants?.length || !f.cloud.noFleetVariantBecause) continue;
    rows.push({
      cloud: f.cloud.name,
      metric: `${FLEET}-VM fleet, diagnostic variant`,
      ours: "not run",
      baseline: "—",
      ratio: "—",
      target: "—",
      met: null,
      note: f.cloud.noFleetVariantBecause,
      slot: SLOT.variant,
    });
  }
  variants.forEach((v, i) => {
    const r = variantsDone[i];
    if (r instanceof Error) {
      rows.push(failedRow(v.f.cloud.name, `fleet variant "${v.label}"`, r, SLOT.variant));
      onError();
      return;
    }
    rows.push({ ...variantRow(v.f.cloud, v.label, r), slot: SLOT.variant });
  });
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err);
    await closeAllHosts().catch(() => undefined);
    process.exit(1);
  },
);
