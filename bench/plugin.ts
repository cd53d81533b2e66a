import { spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { startGpcnEmulator } from "../emulator";
import { API_KEY, quickstartProgram } from "../tests/gpcn/gpcnStack";
import { captureResources } from "../tests/harness/captureProviders";
import { nativeResources } from "../tests/harness/doors";
import { urn } from "../tests/harness/dynamicHost";
import { createProgramDir, REPO_ROOT, type ProgramDir } from "../tests/harness/programDir";
import { startPluginHost, type PluginHost } from "../tests/plugin/pluginHost";
import { hostRssBytes } from "./hostRss";
import { median } from "./stats";
import { fmt, renderNotes, renderTable, type Row } from "./table";

// The native plugin's figures, on GPCN's emulator, with the package installed under a program's
// node_modules (a copy, as npm leaves it) and the plugin driven over gRPC as the engine drives it:
// - start: spawn of `node …/dist/provider/plugin/main.js <engine>` to its port line;
// - memory: RSS of the plugin process after a fleet of VMs created through it at once;
// - preview: a fresh plugin, Configure, then Check + Diff of 100 existing VMs in parallel.
// Runs alone (`node dist/bench/plugin.js`) or in `npm run bench` (`--only=plugin`).

const START_TRIALS = 7;
export const PLUGIN_FLEET = 32;
const PREVIEW_RESOURCES = 100;
const START_TARGET_MS = 1000;
const RSS_TARGET_BYTES = 200 * 1024 * 1024;
const PREVIEW_TARGET_MS = 1000;

export const PLUGIN_ASSUMPTIONS = [
  `Native plugin (GPCN): the package installed under a program's node_modules; the plugin started as the engine starts it and driven over gRPC with a fake engine receiving its Log calls. Start: spawn to the port line on stdout (median of ${START_TRIALS}, after one unmeasured start). Memory: VmRSS of the plugin process right after ${PLUGIN_FLEET} VMs were created through it at once (emulator at ×600, no rate limit: the figure is the plugin's, not the window's). Preview: a fresh plugin, Configure, then Check and Diff of ${PREVIEW_RESOURCES} existing VMs sent in parallel, every request to the emulator counted.`,
];

async function timeToPort(entry: string, cwd: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [entry, "127.0.0.1:1"], { cwd, stdio: ["ignore", "pipe", "ignore"] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`plugin exited (${code}) before printing its port`)));
    });
    if (!/^\d+$/.test(line.trim())) throw new Error(`plugin printed "${line}" instead of its port`);
    return performance.now() - t0;
  } finally {
    child.kill("SIGKILL");
  }
}

export async function benchPlugin(): Promise<Row[]> {
  const program: ProgramDir = createProgramDir("bench-plugin", { packageRoot: REPO_ROOT });
  const emulator = await startGpcnEmulator({ apiKeys: [API_KEY], timeScale: 600, rateLimit: null });
  const hosts: PluginHost[] = [];
  const rows: Row[] = [];
  try {
    const installed = path.join(program.dir, "node_modules", program.packageName);
    const [keyTemplate, vmTemplate] = nativeResources(await captureResources(program, quickstartProgram()));
    const u = (type: string, name: string) => urn(program.project, "bench", type, name);
    const newPlugin = async () => {
      const host = await startPluginHost({ packageRoot: installed, cwd: program.dir, env: { GPCN_API_KEY: "", GPCN_ENDPOINT: "" }, callTimeoutMs: 120_000 });
      hosts.push(host);
      await host.configure({ gpcnApiKey: API_KEY, gpcnEndpoint: emulator.url });
      return host;
    };

    // Start to port.
    const entry = path.join(installed, "dist", "provider", "plugin", "main.js");
    const starts: number[] = [];
    for (let i = -1; i < START_TRIALS; i++) {
      const ms = await timeToPort(entry, program.dir);
      if (i >= 0) starts.push(ms);
    }
    const start = median(starts);
    rows.push({
      cloud: "plugin",
      metric: `plugin start: spawn → port printed (median of ${START_TRIALS})`,
      ours: fmt.ms(start),
      baseline: "—",
      ratio: "—",
      target: `≤ ${fmt.ms(START_TARGET_MS)}`,
      met: start <= START_TARGET_MS,
      note: `slowest ${fmt.ms(Math.max(...starts))}`,
    });

    // A fleet through one plugin, then its memory.
    const fleetHost = await newPlugin();
    const key = await fleetHost.create(u(keyTemplate.type, "key"), { ...keyTemplate.inputs, name: "bench-key" });
    const fleetStarted = performance.now();
    const vms = await Promise.all(
      Array.from({ length: PLUGIN_FLEET }, async (_, i) => {
        const name = `fleet-${i}`;
        const checked = await fleetHost.check(u(vmTemplate.type, name), {}, { ...vmTemplate.inputs, name, sshKeyId: key.id });
        const created = await fleetHost.create(u(vmTemplate.type, name), checked.inputs);
        return { name, inputs: checked.inputs, outputs: created.properties, id: created.id };
      }),
    );
    const fleetMs = performance.now() - fleetStarted;
    const rss = hostRssBytes(fleetHost);
    const running = emulator.vms().filter((v) => v.status === "Running").length;
    rows.push({
      cloud: "plugin",
      metric: `plugin RSS after a ${PLUGIN_FLEET}-VM fleet`,
      ours: fmt.mb(rss),
      baseline: "—",
      ratio: "—",
      target: `≤ ${fmt.mb(RSS_TARGET_BYTES)}`,
      met: rss <= RSS_TARGET_BYTES && running === PLUGIN_FLEET,
      note: `${running} of ${PLUGIN_FLEET} VMs running; the fleet took ${fmt.ms(fleetMs)}`,
    });

    // Check + Diff of 100 existing resources through a fresh plugin.
    const previewHost = await newPlugin();
    const before = emulator.requests().length;
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: PREVIEW_RESOURCES }, async (_, i) => {
        const vm = vms[i % vms.length];
        const name = `preview-${i}`;
        const inputs = { ...vm.inputs, name };
        const checked = await previewHost.check(u(vmTemplate.type, name), inputs, inputs);
        return previewHost.diff(vm.id, u(vmTemplate.type, name), { ...vm.outputs, name }, checked.inputs, inputs);
      }),
    );
    const previewMs = performance.now() - t0;
    const requests = emulator.requests().length - before;
    const unchanged = answers.filter((a) => a.changes === "DIFF_NONE").length;
    rows.push({
      cloud: "plugin",
      metric: `plugin Check + Diff of ${PREVIEW_RESOURCES} resources`,
      ours: fmt.ms(previewMs),
      baseline: "—",
      ratio: "—",
      target: `≤ ${fmt.ms(PREVIEW_TARGET_MS)}, 0 requests`,
      met: previewMs <= PREVIEW_TARGET_MS && requests === 0 && unchanged === PREVIEW_RESOURCES,
      note: `${requests} HTTP request(s); ${unchanged} of ${PREVIEW_RESOURCES} without changes`,
    });
    return rows;
  } finally {
    await Promise.all(hosts.map((h) => h.close()));
    await emulator.close();
    program.cleanup();
  }
}

if (require.main === module) {
  benchPlugin().then(
    (rows) => {
      console.log(`${renderTable(rows)}\n\nNotes:\n${renderNotes(rows)}\n`);
      process.exit(rows.every((r) => r.met !== false) ? 0 : 1);
    },
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
