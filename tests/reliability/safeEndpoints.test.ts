import type { CloudStack } from "../harness/cloudStack";
import { startDynamicHost, type DynamicHost } from "../harness/dynamicHost";
import { startMultiCloudStack, type MultiCloudStack } from "../multicloud/multiCloudStack";
import type { PluginHost } from "../plugin/pluginHost";
import { cloudsAndDoors } from "./clouds";

// An endpoint override with plain http:// to another host would carry the API key in clear text:
// check refuses it, naming the setting, before any request; an explicit opt-in lets it through.
// The "other host" is 0.0.0.0, which Linux routes to this machine: had check sent anything, the
// emulator behind it would have counted it, and with the opt-in the requests do arrive there.
// Through both doors: the native plugin names its own config keys (gpucloud:gpcnEndpoint) and
// CheckConfig, which the engine calls before Configure, accepts the opt-in.

const viaAnyAddress = (url: string) => {
  const u = new URL(url);
  u.hostname = "0.0.0.0";
  return u.toString().replace(/\/$/, "");
};

describe.each(cloudsAndDoors)("%s: plain-http endpoint to another host", (_name, cloud, door) => {
  let stack: CloudStack<any>;
  let shared: Record<string, unknown>;
  let insecure: string;
  const prefix = cloud.cloud.toUpperCase();
  /** A config key as the user of this door writes it: `gpcn:endpoint` or `gpucloud:gpcnEndpoint`. */
  const asWritten = (key: string) => (door === "plugin" ? `gpucloud:${cloud.cloud}${key[0].toUpperCase()}${key.slice(1)}` : `${cloud.cloud}:${key}`);
  beforeAll(async () => {
    stack = await cloud.startStack(door);
    shared = await cloud.prepare(stack);
    insecure = viaAnyAddress(stack.emulator.url);
  });
  afterAll(() => stack.close());

  const vmInputs = (name: string) => ({ ...stack.byName(cloud.vmResource).inputs, ...shared, name });

  async function refusedAtCheck(host: DynamicHost, setting: string) {
    const before = cloud.requests(stack).length;
    const res = await host.check(stack.urnOf(cloud.vmResource), {}, vmInputs("insecure"));
    expect(res.failures).toEqual([{ property: setting, reason: expect.stringContaining(`${setting} is http://0.0.0.0:`) }]);
    expect(res.failures[0].reason).toMatch(/API key in clear text/);
    expect(res.failures[0].reason).toContain(`pulumi config set ${asWritten("allowInsecureEndpoint")} true`);
    expect(res.failures[0].reason).not.toContain(stack.apiKey);
    expect(cloud.requests(stack).length).toBe(before);
  }

  test(`from config ${asWritten("endpoint")}: refused at check, naming it, zero requests`, async () => {
    const host = await stack.newHost({}, { [`${cloud.cloud}:apiKey`]: stack.apiKey, [`${cloud.cloud}:endpoint`]: insecure });
    await refusedAtCheck(host, asWritten("endpoint"));
    await host.close();
  });

  test(`from the environment ${prefix}_ENDPOINT: refused at check, naming it, zero requests`, async () => {
    const host = await stack.newHost({ [`${prefix}_ENDPOINT`]: insecure }, { [`${cloud.cloud}:apiKey`]: stack.apiKey });
    await refusedAtCheck(host, `${prefix}_ENDPOINT`);
    await host.close();
  });

  test(`with ${asWritten("allowInsecureEndpoint")}=true: check passes and create and delete go through`, async () => {
    if (door === "plugin") {
      // The engine calls CheckConfig before Configure: the opt-in is a known key there, and must say true or false.
      const checkConfig = (news: Record<string, unknown>) => (stack.host as unknown as PluginHost).checkConfig(news);
      expect(await checkConfig({ [`${cloud.cloud}Endpoint`]: insecure, [`${cloud.cloud}AllowInsecureEndpoint`]: true })).toEqual([]);
      expect(await checkConfig({ [`${cloud.cloud}AllowInsecureEndpoint`]: "yes" })).toEqual([{ property: `${cloud.cloud}AllowInsecureEndpoint`, reason: 'must be true or false, got "yes"' }]);
    }
    const host = await stack.newHost({}, {
      [`${cloud.cloud}:apiKey`]: stack.apiKey,
      [`${cloud.cloud}:endpoint`]: insecure,
      [`${cloud.cloud}:allowInsecureEndpoint`]: "true",
    });
    const u = stack.urnOf(cloud.vmResource);
    const checked = await host.check(u, {}, vmInputs("opted-in"));
    expect(checked.failures).toEqual([]);
    const before = cloud.requests(stack).length;
    const created = await host.create(u, checked.inputs);
    expect(cloud.requests(stack).length).toBeGreaterThan(before);
    await host.delete(created.id, u, created.properties);
    expect(cloud.machines(stack).filter((m) => m.id === created.id)).toEqual([]);
    await host.close();
  });
});

describe("multicloud: an offer's cloud with a plain-http endpoint to another host", () => {
  let stack: MultiCloudStack;
  beforeAll(async () => {
    stack = await startMultiCloudStack();
  });
  afterAll(() => stack.close());

  test("refused at check under that offer, naming novita:endpoint, zero requests", async () => {
    const host = await startDynamicHost({ cwd: stack.program.dir, project: stack.program.project, stack: "test", env: { NOVITA_ENDPOINT: "" } });
    await host.configure({ ...stack.emulators.config, "novita:endpoint": viaAnyAddress(stack.emulators.novita.url) });
    const before = stack.emulators.novita.requests().length;
    const res = await host.check(stack.urnOf("vm"), {}, stack.byName("vm").inputs);
    expect(res.failures).toEqual([{ property: "offers[0].inputs.novita:endpoint", reason: expect.stringMatching(/^novita:endpoint is http:\/\/0\.0\.0\.0:.*clear text/) }]);
    expect(stack.emulators.novita.requests().length).toBe(before);
    await host.close();
  });

  test("a policy that reads that cloud's offers: refused at check naming policy.novita:endpoint; a create without check sends nothing there either", async () => {
    const host = await startDynamicHost({ cwd: stack.program.dir, project: stack.program.project, stack: "test", env: { NOVITA_ENDPOINT: "" } });
    await host.configure({ ...stack.emulators.config, "novita:endpoint": viaAnyAddress(stack.emulators.novita.url) });
    const before = stack.emulators.novita.requests().length;
    const inputs = {
      ...stack.byName("vm").inputs,
      name: "by-policy",
      offers: undefined,
      policy: { gpu: "RTX 4090", gpuCount: 1, extras: { novita: { rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" } } },
    };
    const res = await host.check(stack.urnOf("vm"), {}, inputs);
    expect(res.failures).toEqual([{ property: "policy.novita:endpoint", reason: expect.stringMatching(/^novita:endpoint is http:\/\/0\.0\.0\.0:.*clear text/) }]);
    // The request sender's own refusal: even a create the engine never checked reads no offer there.
    const err = await host.create(stack.urnOf("vm"), inputs).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/novita:endpoint is http:\/\/0\.0\.0\.0:.*clear text/);
    expect(stack.emulators.novita.requests().length).toBe(before);
    await host.close();
  });
});
