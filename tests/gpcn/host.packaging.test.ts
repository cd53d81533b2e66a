import { spawnSync } from "child_process";
import { getInventory } from "../../provider/gpcn/inventory";
import { providerText } from "../harness/captureProviders";
import { urn } from "../harness/dynamicHost";
import { API_KEY, GpcnStack, KANSAS, startGpcnStack } from "./gpcnStack";

// The repository's own examples sit outside node_modules: Pulumi's serializer then inlines the
// shim by value instead of writing a require(). That case must work too, and still hold no path.
describe("package linked from the repository (examples, tests)", () => {
  let stack: GpcnStack;
  beforeAll(async () => {
    stack = await startGpcnStack({ linkMode: "repo" });
  });
  afterAll(() => stack.close());

  test("__provider is the shim by value: no machine path, no key, no implementation code", () => {
    const text = providerText([stack.byName("vm")]);
    expect(text).toContain('require("pulumi-gpucloud/provider")');
    expect(text).not.toMatch(/\/work\/|\/tmp\/|\.tmp\/|\/root\//);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain("zod");
  });

  test("a full create and delete goes through the host", async () => {
    const u = urn(stack.program.project, "test", stack.byName("key").type, "key");
    const key = await stack.host.create(u, (await stack.host.check(u, {}, stack.byName("key").inputs)).inputs);
    const vmUrn = urn(stack.program.project, "test", stack.byName("vm").type, "vm");
    const vm = await stack.host.create(vmUrn, (await stack.host.check(vmUrn, {}, { ...stack.byName("vm").inputs, sshKeyId: key.id })).inputs);
    expect(vm.properties.status).toBe("Running");
    await stack.host.delete(vm.id, vmUrn, vm.properties);
    await stack.host.delete(key.id, u, key.properties);
    expect(stack.emulator.vms()).toEqual([]);
  });
});

describe("serialization round trip outside the host", () => {
  let stack: GpcnStack;
  beforeAll(async () => {
    stack = await startGpcnStack();
  });
  afterAll(() => stack.close());

  test("the captured text loads with require-from-string in the program dir, configures and answers check", () => {
    const script = `
      const text = require("fs").readFileSync(0, "utf8");
      const provider = require("require-from-string")(text).handler();
      provider.configure({ config: { get: () => undefined } });
      provider.check({}, { name: "x", datacenterId: "d", seriesCode: "h100_series", gpuCount: 3, sshKeyId: "k" })
        .then((r) => console.log(JSON.stringify(r)));`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: stack.program.dir, input: providerText([stack.byName("vm")]), encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout).failures).toEqual([{ property: "gpuCount", reason: "must be 1, 2, 4 or 8" }]);
  });

  test("gpcn.getInventory() lists stock with SKUs from the configured endpoint", async () => {
    const offers = await getInventory({ get: (k) => ({ "gpcn:apiKey": API_KEY, "gpcn:endpoint": stack.emulator.url } as Record<string, string>)[k] });
    const h100 = offers.find((o) => o.seriesCode === "h100_series" && o.datacenterId === KANSAS && o.gpuCount === 1);
    expect(h100?.skuCodes.length).toBeGreaterThan(0);
    expect(h100?.specs?.vcpu).toBeGreaterThan(0);
  });
});
