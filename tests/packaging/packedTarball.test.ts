import { execFile, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import { promisify } from "util";
import { REPO_ROOT } from "../harness/programDir";
import { startPluginHost } from "../plugin/pluginHost";

// The package as a new user gets it: `npm pack`, then `npm install <tarball>` into an empty
// folder, then its two commands run from there. npm installs the tarball itself offline but
// fetches its dependencies (from its cache when it can, else the registry).

const run = promisify(execFile);
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

/** The parent `npm test` exports npm_* settings (prefix, lifecycle…) that must not steer these npm runs. */
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

let dir: string;
let app: string;
let packed: string[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpucloud-pack-"));
  // pretest has just built dist/: pack that build (--ignore-scripts) rather than rebuild it while
  // other test files run the compiled code. `prepare` builds it for git installs and plain packs.
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: REPO_ROOT, env: cleanEnv(), timeout: 120_000 });
  const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = info.files.map((f) => f.path);
  app = path.join(dir, "app");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "new-user", version: "1.0.0", private: true }));
  await run("npm", ["install", path.join(dir, info.filename), "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: app,
    env: cleanEnv(),
    timeout: 300_000,
  });
}, 450_000);

afterAll(() => {
  for (const child of children) {
    // Each npx ran in its own process group: take down whatever of it is left.
    if (child.pid) try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the tarball holds the plugin executable, PulumiPlugin.yaml, schema.json and compiled code, no sources or tests", () => {
  for (const file of ["pulumi-resource-gpucloud", "PulumiPlugin.yaml", "schema.json", "package.json", "dist/provider/plugin/main.js", "dist/emulator/cli.js", "dist/sdk/index.js"]) {
    expect(packed).toContain(file);
  }
  expect(packed.filter((f) => f.startsWith("tests/") || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
  expect(pkg.scripts.prepare).toMatch(/build/); // a git install builds dist/ itself
});

test("pulumi-resource-gpucloud from the installed package prints only its port and answers with the package version and schema", async () => {
  const executable = path.join(app, "node_modules", ".bin", "pulumi-resource-gpucloud");
  const host = await startPluginHost({ executable, cwd: app, startTimeoutMs: 20_000 });
  try {
    expect(await host.pluginVersion()).toBe(pkg.version);
    const schema = JSON.parse(await host.schema());
    expect(schema.name).toBe("gpucloud");
    expect(schema.version).toBe(pkg.version);
    expect(host.stdout).toEqual([]); // the port line was the only one
  } finally {
    await host.close();
  }
  expect(host.stdout).toEqual([]);
});

test("pulumi-resource-gpucloud in a checkout that was never built says so on stderr, nothing on stdout", async () => {
  const unbuilt = fs.mkdtempSync(path.join(os.tmpdir(), "gpucloud-unbuilt-"));
  try {
    fs.copyFileSync(path.join(REPO_ROOT, "pulumi-resource-gpucloud"), path.join(unbuilt, "pulumi-resource-gpucloud"));
    const failed = await run(process.execPath, [path.join(unbuilt, "pulumi-resource-gpucloud"), "127.0.0.1:1"], { timeout: 30_000 }).then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed).toMatchObject({ code: 1, stdout: "" });
    expect(failed!.stderr).toMatch(/dist\/provider\/plugin\/main\.js is missing; run `npm ci`/);
  } finally {
    fs.rmSync(unbuilt, { recursive: true, force: true });
  }
});

test("pulumi-gpucloud-emulator --help runs from the installed package", async () => {
  const { stdout } = await run(path.join(app, "node_modules", ".bin", "pulumi-gpucloud-emulator"), ["--help"], { cwd: app, env: cleanEnv(), timeout: 30_000 });
  expect(stdout).toMatch(/^Usage: pulumi-gpucloud-emulator/);
  expect(stdout).toContain("--fault");
});

// SIGTERM as a supervisor or `kill` sends it, to npm's process alone: npm passes it to the shell
// it runs the command in, the shell dies, the emulator is re-parented and must notice (orphanWatch).
// Ctrl-C, as a terminal sends it: SIGINT to the whole foreground process group (npm, sh, node). A
// SIGINT to npm's process alone is passed to the shell, which (as shells do) waits for its child,
// so it never reaches the emulator: README says so.
test.each([
  ["SIGTERM to `npx pulumi-gpucloud-emulator`", "SIGTERM", "process"],
  ["Ctrl-C (SIGINT to the process group) of `npx pulumi-gpucloud-emulator`", "SIGINT", "group"],
] as const)("%s stops the emulator it started", async (_what, signal, target) => {
  const npx = spawn("npx", ["--no-install", "pulumi-gpucloud-emulator", "--port", "0"], { cwd: app, env: cleanEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push(npx);
  const lines: string[] = [];
  readline.createInterface({ input: npx.stdout! }).on("line", (l) => lines.push(l));
  const admin = await until(() => lines.find((l) => l === "Ready. Ctrl-C stops.") && lines.map((l) => /^  admin: (\S+)$/.exec(l)?.[1]).find(Boolean), "the emulator is ready", 60_000);
  expect((await fetch(admin)).status).toBe(200);

  process.kill(target === "group" ? -npx.pid! : npx.pid!, signal);
  await until(async () => (await fetch(admin).then(() => false, () => true)) || undefined, "the emulator stopped answering", 15_000);
});

/** Resolves with the first truthy value of `probe`, polling; rejects with `what` after `timeoutMs`. */
async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
