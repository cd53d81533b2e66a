import { closeAllHosts } from "../tests/harness/dynamicHost";
import type { BenchCloud, BenchEmulator } from "./clouds";
import { benchColdStart } from "./coldStart";
import { openEmptyStack } from "./emptyProvider";
import { FLEET, fleetRows, NAIVE_GRACE_MS, runNaiveFleet, runOurFleet, variantRow } from "./fleet";
import { gpcnBench } from "./gpcn";
import { benchLag, PROVISIONING_SECONDS, TIME_SCALE } from "./lag";
import { benchPreview } from "./preview";
import { benchProviderSize } from "./providerSize";
import { machine, RESULTS_FILE, writeResults } from "./results";
import { openStack, type BenchStack } from "./stack";
import { fmt, ratio, renderNotes, renderTable, type Row } from "./table";

// `npm run bench` (issue 8): every benchmark for every cloud, one table with figures and ratios
// against a naive baseline measured in the same run, written to bench/RESULTS.md.
// Options: --only=size,cold,lag,preview,fleet  --cloud=gpcn  (a partial run does not write RESULTS.md).
// Each cloud is one entry here; its rows appear under every metric.

const benchClouds: BenchCloud[] = [gpcnBench];

const BENCHES = ["size", "cold", "lag", "preview", "fleet"] as const;
type Bench = (typeof BENCHES)[number];
/** The whole run must end by itself: a stuck benchmark prints what it has and exits non-zero. */
const WATCHDOG_MS = 7 * 60_000;

const ASSUMPTIONS = [
  "Ours: a user's program with pulumi-gpucloud installed under node_modules (a copy, as npm leaves it), its real `__provider` captured under setMocks, driven through Pulumi's own dynamic-provider host over gRPC against the cloud's local emulator on 127.0.0.1.",
  `Provisioning is the emulated ${PROVISIONING_SECONDS} s at time scale ×${TIME_SCALE} (${(PROVISIONING_SECONDS / TIME_SCALE).toFixed(0)} s real). Rate-limit windows are real time, never scaled.`,
  "Lag: create RPC returned − the emulator's job completion time. The naive schedule is run in emulated time (its delays ÷ the time scale) and its gap between completion and the poll that saw it is multiplied back, so both columns are what a real 3-minute job would see. Our 20 lag creates run in 4 concurrent groups of 5 on an emulator enforcing 100 req / 60 s; the naive ones run without a rate limit (in its favour).",
  "Requests per create: emulator request count around one create alone.",
  `Fleet: ${FLEET} creates sent at once to one host; the emulator enforces 100 requests / 60 s (fixed window, real time) from the first create on. The naive fleet is ${FLEET} independent clients running the Terraform schedule in real seconds, each giving up ${NAIVE_GRACE_MS / 1000} s after the provisioning time (past one reset of the window). Diagnostic variants rerun our fleet with changed inputs to show what a missed figure depends on.`,
  "`__provider` size: bytes of the text in state. The baseline serializes an object literal whose methods call the implementation captured by value with `pulumi.runtime.serializeFunction(() => provider, {allowSecrets: true})`, in a child node in the program dir. The change: a statement added to `create` and a comment appended in the installed copy's implementation files.",
  "Preview: a fresh host, Check then Diff for 100 existing VMs sent in parallel; every request to the emulator is counted. Cold start: spawn of a fresh host to the answer of its first Check (includes Configure and loading the provider), alternated with the empty provider (bench/fixtures/empty-provider) installed the same way.",
  "RSS: VmRSS of the node host process (the launcher is a sh script) right after the fleet; baseline: the empty provider's host after its preview.",
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

function failedRow(cloud: string, bench: string, err: unknown): Row {
  const message = String((err as Error)?.message ?? err).split("\n").slice(0, 3).join(" ");
  return { cloud, metric: `${bench} benchmark`, ours: "error", baseline: "—", ratio: "—", target: "runs", met: false, note: message.slice(0, 400) };
}

async function main(): Promise<number> {
  const { only, clouds, partial } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const rows: Row[] = [];
  let errors = 0;
  const print = () => console.log(`\n${renderTable(rows)}\n\nNotes:\n${renderNotes(rows)}\n`);
  const watchdog = setTimeout(async () => {
    console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up`);
    print();
    await closeAllHosts().catch(() => undefined);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  console.log(`bench: ${machine()}`);

  const empty = only.has("cold") || only.has("preview") ? await openEmptyStack() : undefined;
  try {
    for (const cloud of clouds) {
      const step = async (bench: Bench, run: () => Promise<void>) => {
        // The preview reuses a VM the lag benchmark created.
        if (!only.has(bench) && !(bench === "lag" && only.has("preview"))) return;
        const s = performance.now();
        process.stdout.write(`bench: ${cloud.name} ${bench} … `);
        try {
          await run();
          console.log(`${((performance.now() - s) / 1000).toFixed(1)} s`);
        } catch (err) {
          console.log(`failed: ${(err as Error).message.split("\n")[0]}`);
          rows.push(failedRow(cloud.name, bench, err));
          errors++;
        } finally {
          await closeAllHosts().catch(() => undefined);
        }
      };

      await step("size", async () => void rows.push(...(await benchProviderSize(cloud))));
      let stack: BenchStack | undefined;
      let quiet: BenchEmulator | undefined;
      try {
        stack = await openStack(cloud.name, cloud.program);
        // Where check/diff-only benchmarks point the host: any request they make is counted here.
        quiet = await cloud.startEmulator({ timeScale: TIME_SCALE, provisioningSeconds: PROVISIONING_SECONDS, rateLimit: null });
      } catch (err) {
        // One cloud that cannot even start must not hide the others' rows.
        rows.push(failedRow(cloud.name, "setup", err));
        errors++;
        await quiet?.close();
        stack?.close();
        continue;
      }
      const [st, q] = [stack, quiet];
      try {
        await step("cold", async () => void rows.push(await benchColdStart(cloud, st, empty!, q)));
        let lag: Awaited<ReturnType<typeof benchLag>> | undefined;
        await step("lag", async () => {
          lag = await benchLag(cloud, st);
          if (only.has("lag")) rows.push(...lag.rows);
        });
        let emptyRss = NaN;
        await step("preview", async () => {
          if (!lag) throw new Error("needs a created VM from the lag benchmark, which failed");
          const preview = await benchPreview(cloud, st, empty!, q, lag.template, lag.programInputs);
          rows.push(preview.row);
          emptyRss = preview.emptyRssBytes;
        });
        await step("fleet", async () => {
          const ours = await runOurFleet(cloud, st);
          const naive = await runNaiveFleet(cloud);
          rows.push(...fleetRows(cloud, ours, naive));
          rows.push({
            cloud: cloud.name,
            metric: `host RSS after the ${FLEET}-VM fleet`,
            ours: fmt.mb(ours.rssBytes ?? NaN),
            baseline: Number.isFinite(emptyRss) ? `${fmt.mb(emptyRss)} (empty provider host)` : "—",
            ratio: ratio(ours.rssBytes ?? NaN, emptyRss),
            target: "≤ 200 MB",
            met: (ours.rssBytes ?? Infinity) <= 200 * 1024 * 1024,
          });
          for (const v of cloud.fleetVariants ?? []) rows.push(variantRow(cloud, v.label, await runOurFleet(cloud, st, v.vmInputs)));
        });
      } finally {
        await q.close();
        st.close();
      }
    }
  } finally {
    empty?.close();
    await closeAllHosts().catch(() => undefined);
  }

  const wallMs = performance.now() - t0;
  const assumptions = [...ASSUMPTIONS, ...clouds.map((c) => `Naive baseline, ${c.name}: ${c.naiveDescription}.`)];
  print();
  const missed = rows.filter((r) => r.met === false);
  console.log(`bench: ${rows.filter((r) => r.met).length} targets met, ${missed.length} missed, in ${(wallMs / 1000).toFixed(0)} s`);
  if (partial) console.log("bench: partial run (--only/--cloud); RESULTS.md left as it was");
  else {
    writeResults(rows, startedAt, wallMs, assumptions);
    console.log(`bench: wrote ${RESULTS_FILE}`);
  }
  clearTimeout(watchdog);
  // Missed targets are results, printed above; only a benchmark that could not run fails the run.
  return errors ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err);
    await closeAllHosts().catch(() => undefined);
    process.exit(1);
  },
);
