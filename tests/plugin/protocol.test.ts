import * as fs from "fs";
import * as path from "path";
import { API_KEY, startGpcnStack, type GpcnStack } from "../gpcn/gpcnStack";
import { REPO_ROOT } from "../harness/programDir";
import { PluginHost, startPluginHost } from "./pluginHost";

// The native plugin as the engine meets it: started with the engine's flags and address, its
// port the only stdout line, the plugin RPCs (Handshake, GetPluginInfo, GetSchema, CheckConfig,
// DiffConfig, Configure, Invoke), provider config from `args` or `variables`, and progress and
// warnings delivered to the engine's Log RPC under the resource's URN.

let stack: GpcnStack;
let plugin: PluginHost;
const vmUrn = () => stack.urnOf("vm");
const keyUrn = () => stack.urnOf("key");

beforeAll(async () => {
  stack = await startGpcnStack({ door: "plugin" });
  plugin = stack.host as PluginHost;
});
afterAll(() => stack.close());

describe("start and plugin RPCs", () => {
  test("started with the engine's logging flags before its address, it prints only the port and logs to that engine", async () => {
    const host = await startPluginHost({ args: ["--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:1/trace"] });
    try {
      await host.configure({ "gpcn:apiKey": API_KEY, "gpcn:endpoint": stack.emulator.url });
      await host.diff("x", vmUrn(), { name: "a", gpuCount: 1 }, { name: "b", gpuCount: 1 });
      await host.waitForOutput(/name "a" → "b" updates in place/);
      expect(host.engineLogs.some((l) => /name "a" → "b"/.test(l.message))).toBe(true);
      expect(host.stdout).toEqual([]);
    } finally {
      await host.close();
    }
  });

  test("Handshake and Configure: secrets are left to the engine, preview is supported", async () => {
    await expect(plugin.handshake(plugin.engineAddress!)).resolves.toEqual({ acceptSecrets: false });
    await expect(plugin.configure({ "gpcn:apiKey": API_KEY, "gpcn:endpoint": stack.emulator.url })).resolves.toEqual({
      acceptSecrets: false,
      supportsPreview: true,
    });
  });

  test("GetPluginInfo is the package version; GetSchema is schema.json", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    await expect(plugin.pluginVersion()).resolves.toBe(pkg.version);
    const schema = await plugin.schema();
    expect(schema).toBe(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"));
    expect(JSON.parse(schema).name).toBe("gpucloud");
  });

  test("CheckConfig names unknown keys and bad values; DiffConfig never replaces the provider", async () => {
    expect(await plugin.checkConfig({ gpcnApiKey: "k", gpcnEndpoint: "https://api.example" })).toEqual([]);
    const failures = await plugin.checkConfig({ gpcnApiKy: "k", novaEndpoint: "not a url", fluenceRequestsPerMinute: -1 });
    expect(failures.map((f) => f.property).sort()).toEqual(["fluenceRequestsPerMinute", "gpcnApiKy", "novaEndpoint"]);
    // Cost control (issue 16): the price table and the stack cap are checked before any resource.
    expect(await plugin.checkConfig({ gpcnPriceTable: { "h100-sxm-80gb-1x": 2.5 }, maxStackPricePerHour: 40 })).toEqual([]);
    const costFailures = await plugin.checkConfig({ gpcnPriceTable: '{"h100-sxm-80gb-1x": -2}', maxStackPricePerHour: -5 });
    expect(costFailures).toEqual([
      { property: "gpcnPriceTable", reason: expect.stringMatching(/bad entries: h100-sxm-80gb-1x/) },
      { property: "maxStackPricePerHour", reason: expect.stringMatching(/positive/) },
    ]);
    expect((await plugin.checkConfig({ gpcnPriceTable: "{not json" }))[0].reason).toMatch(/not JSON/);
    const diff = await plugin.diffConfig({ gpcnApiKey: "old" }, { gpcnApiKey: "new" });
    expect(diff).toEqual({ changes: true, replaces: [], diffs: ["gpcnApiKey"] });
    expect(await plugin.diffConfig({ gpcnApiKey: "same" }, { gpcnApiKey: "same" })).toMatchObject({ changes: false });
  });

  test("Invoke runs a lookup from the function registry; bad arguments come back as failures", async () => {
    const inv = await plugin.invoke("gpucloud:gpcn:getInventory", {});
    expect(inv.failures).toEqual([]);
    expect(inv.result.offers.length).toBeGreaterThan(0);
    expect(inv.result.offers[0]).toMatchObject({ seriesId: expect.any(String), gpuCount: expect.any(Number) });
    const bad = await plugin.invoke("gpucloud:multicloud:getOffers", { gpu: "H100", gpuCount: 0 });
    expect(bad.failures.map((f) => f.property)).toEqual(["gpuCount"]);
    await expect(plugin.invoke("gpucloud:gpcn:getNothing", {})).rejects.toThrow(/unknown function gpucloud:gpcn:getNothing/);
  });
});

describe("provider config", () => {
  test.each([
    ["`variables` alone (gpucloud:config:<key>, plain text), as older engines send it", "variables"],
    ["`args` alone (bare keys, the API key wrapped as a secret), as current engines send it", "args"],
  ] as const)("from %s", async (_what, only) => {
    const host = await stack.newHost();
    await (host as PluginHost).configure({ "gpcn:apiKey": API_KEY, "gpcn:endpoint": stack.emulator.url }, only);
    const key = await host.create(keyUrn(), { ...stack.byName("key").inputs, name: `from-${only}` });
    expect(stack.emulator.sshKeys().map((k) => k.id)).toContain(key.id);
    await host.delete(key.id, keyUrn(), key.properties);
  });

  test("a missing key names both the config key and the environment variable, with zero requests", async () => {
    const host = await stack.newHost({}, { "gpcn:endpoint": stack.emulator.url });
    const before = stack.emulator.requests().length;
    const err = await host.create(keyUrn(), { ...stack.byName("key").inputs, name: "no-key" }).catch((e) => e);
    expect(err.message).toMatch(/pulumi config set --secret gpucloud:gpcnApiKey/);
    expect(err.message).toMatch(/GPCN_API_KEY/);
    expect(stack.emulator.requests().length).toBe(before);
  });

  test("with no provider config the environment variable is the fallback", async () => {
    const host = await stack.newHost({ GPCN_API_KEY: API_KEY, GPCN_ENDPOINT: stack.emulator.url }, {});
    const key = await host.create(keyUrn(), { ...stack.byName("key").inputs, name: "from-env" });
    expect(key.id).toBeTruthy();
    await host.delete(key.id, keyUrn(), key.properties);
  });
});

describe("engine log", () => {
  test("progress of a create reaches the Log RPC as info under the resource's URN, never stdout", async () => {
    const key = await plugin.create(keyUrn(), { ...stack.byName("key").inputs, name: "logged" });
    const created = await plugin.create(vmUrn(), { ...stack.byName("vm").inputs, name: "logged", sshKeyId: key.id });
    await plugin.waitForOutput(/gpcn:GpuVm "logged": .*%/);
    const progress = plugin.engineLogs.filter((l) => /gpcn:GpuVm "logged"/.test(l.message));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((l) => l.severity === "info" && l.urn === vmUrn())).toBe(true);
    expect(plugin.stdout).toEqual([]);
    await plugin.delete(created.id, vmUrn(), created.properties);
    await plugin.delete(key.id, keyUrn(), key.properties);
  });

  test("a warning reaches the Log RPC as a warning", async () => {
    stack.emulator.faults.set("loseCreateResponse", { count: 1 });
    const key = await plugin.create(keyUrn(), { ...stack.byName("key").inputs, name: "warned" });
    const created = await plugin.create(vmUrn(), { ...stack.byName("vm").inputs, name: "warned", sshKeyId: key.id });
    const line = await plugin.waitForOutput(/answer was lost but the machine exists; adopting it/);
    expect(plugin.engineLogs.find((l) => l.message === line)).toMatchObject({ severity: "warning", urn: vmUrn() });
    await plugin.delete(created.id, vmUrn(), created.properties);
  });
});
