import * as fs from "fs";
import * as path from "path";
import { captureResources, providerText, unwrapSecrets, type CapturedResource } from "./captureProviders";
import { closeAllHosts, HostCallError, startDynamicHost, urn, type DynamicHost } from "./dynamicHost";
import { createProgramDir, PROGRAMS_ROOT, type ProgramDir } from "./programDir";
import { livePidsInGroup } from "./processGroup";

const FIXTURE_ROOT = path.join(__dirname, "fixtures", "fixture-provider");
const TYPE = "pulumi-nodejs:dynamic/fixture:Thing";
const STACK = "test";
const TOKEN = "fixture-token-9f27c1d3-do-not-print";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { provider } = require("fixture-provider");
const label = new pulumi.Config().get("label") ?? "one";
new pulumi.dynamic.Resource(provider, "r1", { label, size: 1 }, {}, "fixture", "Thing");
`;

const programs: ProgramDir[] = [];
function fixtureProgram(name: string, linkMode: "copy" | "repo" = "copy"): ProgramDir {
  const program = createProgramDir(name, { packageRoot: FIXTURE_ROOT, linkMode });
  programs.push(program);
  return program;
}

// One installed-copy program and one repo-linked program, captured once and shared by the hosts below.
let installed: ProgramDir;
let linked: ProgramDir;
let installedCapture: CapturedResource[];
let linkedCapture: CapturedResource[];
let news: Record<string, any>;

beforeAll(async () => {
  installed = fixtureProgram("installed", "copy");
  linked = fixtureProgram("linked", "repo");
  [installedCapture, linkedCapture] = await Promise.all([
    captureResources(installed, PROGRAM, { config: { "installed:label": "from-config" } }),
    captureResources(linked, PROGRAM),
  ]);
  news = unwrapSecrets({ ...installedCapture[0].inputs, label: "one" });
});

afterAll(async () => {
  await closeAllHosts();
  for (const p of programs) p.cleanup();
});

describe("createProgramDir", () => {
  test("copy mode installs package.json and the built files under node_modules", () => {
    const pkgDir = path.join(installed.dir, "node_modules", "fixture-provider");
    expect(installed.dir.startsWith(PROGRAMS_ROOT + path.sep)).toBe(true);
    expect(fs.readFileSync(path.join(installed.dir, "Pulumi.yaml"), "utf8")).toBe("name: installed\nruntime: nodejs\n");
    expect(fs.lstatSync(pkgDir).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(pkgDir, "lib", "impl.js"))).toBe(true);
    expect(require.resolve("fixture-provider", { paths: [installed.dir] })).toBe(path.join(pkgDir, "lib", "index.js"));
  });

  test("repo mode links the package so Node resolves its real path outside node_modules", () => {
    expect(fs.realpathSync(require.resolve("fixture-provider", { paths: [linked.dir] }))).toBe(
      path.join(FIXTURE_ROOT, "lib", "index.js"),
    );
  });

  test("a package without its built output is refused with a hint", () => {
    const root = fs.mkdtempSync(path.join(PROGRAMS_ROOT, "unbuilt-pkg-"));
    try {
      fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "unbuilt" }));
      expect(() => createProgramDir("unbuilt", { packageRoot: root })).toThrow(/dist does not exist — run "npm run build"/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("captureResources", () => {
  test("records type token, name and inputs including __provider; config reaches the program", () => {
    expect(installedCapture).toHaveLength(1);
    expect(installedCapture[0]).toMatchObject({ type: TYPE, name: "r1", inputs: { label: "from-config", size: 1 } });
    expect(typeof installedCapture[0].inputs.__provider).toBe("string");
  });

  test("__provider of the installed copy is small, free of machine paths, and requires package modules", () => {
    const text = providerText(installedCapture);
    expect(text.length).toBeLessThan(4_000);
    expect(text).toContain('require("fixture-provider/lib/constants.js")');
    for (const leak of ["/work/", "/tmp/", ".tmp/", process.cwd()]) expect(text).not.toContain(leak);
  });

  test("__provider of the repo-linked package inlines its local modules by value", () => {
    const text = providerText(linkedCapture);
    expect(text).not.toContain("fixture-provider/lib/constants");
    expect(text).toContain("size-64");
    expect(text.length).toBeGreaterThan(providerText(installedCapture).length);
  });

  test("a serialization failure makes the capture fail with the serializer's message", async () => {
    const bad = `
const pulumi = require("@pulumi/pulumi");
const has = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
const provider = { async create(i) { return { id: String(has(i, "a")) }; } };
new pulumi.dynamic.Resource(provider, "bad", { a: 1 }, {}, "fixture", "Thing");
`;
    await expect(captureResources(installed, bad, { file: "bad.js" })).rejects.toThrow(
      /unhandled rejection: Error: error serializing property "__provider"[\s\S]*native code function/,
    );
  });

  test("a registration that never completes fails on the timeout", async () => {
    const hang = `
const pulumi = require("@pulumi/pulumi");
const { provider } = require("fixture-provider");
new pulumi.dynamic.Resource(provider, "stuck", { size: new Promise(() => {}) }, {}, "fixture", "Thing");
`;
    await expect(captureResources(installed, hang, { file: "hang.js", timeoutMs: 1_000 })).rejects.toThrow(
      /timed out after 1000 ms waiting for the program's resource registrations/,
    );
  });
});

describe("dynamic host over gRPC", () => {
  let host: DynamicHost;
  const r1 = () => urn(installed.project, STACK, TYPE, "r1");

  beforeAll(async () => {
    host = await startDynamicHost({ cwd: installed.dir, project: installed.project, stack: STACK });
    expect(await host.configure({ "fixture:token": TOKEN })).toEqual({ acceptSecrets: false, supportsPreview: false });
  });

  test("urn() builds the engine's URN format", () => {
    expect(urn("proj", "dev", TYPE, "r1")).toBe(`urn:pulumi:dev::proj::${TYPE}::r1`);
  });

  test("check → create → diff → update → read → delete → read", async () => {
    const checked = await host.check(r1(), {}, news);
    expect(checked).toEqual({ inputs: news, failures: [] });

    const created = await host.create(r1(), checked.inputs);
    expect(created.id).toMatch(/^thing-\d+$/);
    expect(created.properties).toMatchObject({ label: "one", size: 1, status: "running", __provider: news.__provider });

    const renamed = { ...news, label: "two" };
    // Pulumi's dynamic host passes on changes, replaces and deleteBeforeReplace only: the rest stays empty.
    expect(await host.diff(created.id, r1(), created.properties, news)).toEqual({
      changes: "DIFF_NONE",
      replaces: [],
      deleteBeforeReplace: false,
      stables: [],
      diffs: [],
      detailedDiff: {},
    });
    expect(await host.diff(created.id, r1(), created.properties, renamed)).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    expect(await host.diff(created.id, r1(), created.properties, { ...news, size: 2 })).toMatchObject({
      changes: "DIFF_SOME",
      replaces: ["size"],
      deleteBeforeReplace: true,
    });

    const updated = await host.update(created.id, r1(), created.properties, renamed);
    expect(updated.properties).toMatchObject({ label: "two", status: "running", __provider: news.__provider });

    const read = await host.read(created.id, r1(), updated.properties, renamed);
    expect(read).toEqual({
      id: created.id,
      properties: updated.properties,
      inputs: { label: "two", size: 1, __provider: news.__provider },
    });

    await host.delete(created.id, r1(), read.properties);
    expect(await host.read(created.id, r1(), read.properties)).toMatchObject({ id: "" });
  });

  test("check failures come back as {property, reason}", async () => {
    const res = await host.check(r1(), {}, { ...news, size: "big" });
    expect(res.failures).toEqual([{ property: "size", reason: "size must be a number" }]);
  });

  test("a plain provider error becomes a HostCallError with the provider's message", async () => {
    const err = await host.check(r1(), {}, { ...news, explode: "boom" }).catch((e) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect(err).toMatchObject({ method: "check", message: "fixture: check exploded: boom", grpcCode: 2 });
    expect(err.initFailed).toBeUndefined();
  });

  test("a partial create carries id, properties and reasons in the status-details trailer", async () => {
    const err = await host.create(r1(), { ...news, failAfterCreate: true }).catch((e) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect(err.message).toMatch(/^fixture: thing-\d+ failed to boot$/);
    expect(err.initFailed).toEqual({
      id: expect.stringMatching(/^thing-\d+$/),
      properties: { ...news, failAfterCreate: true, status: "failed" },
      reasons: ["boot timed out"],
    });
  });

  test("pulumi.log.info inside the host reaches host.stdout; the token is never printed", async () => {
    const created = await host.create(r1(), { ...news, label: "logged" });
    expect(await host.waitForOutput(`fixture: creating ${created.id} (logged)`)).toMatch(/^info: \[runtime\] /);
    expect([...host.stdout, ...host.stderr].join("\n")).not.toContain(TOKEN);
    expect(JSON.stringify(created)).not.toContain(TOKEN);
  });

  test("close() kills the launcher and the node host it started", async () => {
    const extra = await startDynamicHost({ cwd: installed.dir, project: installed.project });
    const cmdlines = livePidsInGroup(extra.pid).map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
    expect(cmdlines.some((c) => c.includes("cmd/dynamic-provider"))).toBe(true);
    await extra.close();
    expect(livePidsInGroup(extra.pid)).toEqual([]);
    await expect(extra.check(r1(), {}, news)).rejects.toThrow(/host exited/);
  });
});

describe("dynamic host variants", () => {
  const r1 = () => urn(installed.project, STACK, TYPE, "r1");

  test("configure with an empty config: the provider sees no token", async () => {
    const host = await startDynamicHost({ cwd: installed.dir, project: installed.project });
    await host.configure({});
    await expect(host.create(r1(), news)).rejects.toThrow("fixture: no fixture:token configured");
    await host.close();
  });

  test("no Configure RPC at all: the host hands provider.configure an unusable config", async () => {
    const host = await startDynamicHost({ cwd: installed.dir, project: installed.project });
    await expect(host.create(r1(), news)).rejects.toThrow("Cannot read properties of undefined (reading 'fixture:token')");
    await host.close();
  });

  test("a host that dies before printing its port fails the start with its stderr", async () => {
    const start = startDynamicHost({
      cwd: installed.dir,
      project: installed.project,
      env: { NODE_OPTIONS: "--require ./no-such-preload.js" },
    });
    await expect(start).rejects.toThrow(/exited \(code \d+\) before printing its port[\s\S]*no-such-preload/);
  });

  test("an RPC that outlives callTimeoutMs fails with a clear message", async () => {
    const host = await startDynamicHost({ cwd: installed.dir, project: installed.project, callTimeoutMs: 300 });
    await host.configure({ "fixture:token": TOKEN });
    await expect(host.create(r1(), { ...news, stallMs: 5_000 })).rejects.toThrow("create did not answer within 300 ms");
    await host.close();
  });

  test("captureEngineLogs routes pulumi.log to the fake engine instead of stdout", async () => {
    const host = await startDynamicHost({ cwd: installed.dir, project: installed.project, captureEngineLogs: true });
    await host.configure({ "fixture:token": TOKEN });
    const created = await host.create(r1(), news);
    await host.waitForOutput(`fixture: creating ${created.id}`);
    expect(host.engineLogs).toContainEqual({ severity: "info", message: `fixture: creating ${created.id} (one)`, urn: "" });
    expect(host.stdout.join("\n")).not.toContain("fixture: creating");
    await host.close();
  });

  test("repo link mode (package outside node_modules) also round-trips through the host", async () => {
    const host = await startDynamicHost({ cwd: linked.dir, project: linked.project });
    await host.configure({ "fixture:token": TOKEN });
    const inputs = unwrapSecrets(linkedCapture[0].inputs);
    expect((await host.check(urn(linked.project, STACK, TYPE, "r1"), {}, inputs)).failures).toEqual([]);
    const created = await host.create(urn(linked.project, STACK, TYPE, "r1"), inputs);
    expect(created.properties.status).toBe("running");
    await host.close();
  });
});
