import type { CloudStack } from "../harness/cloudStack";
import type { HostCallError } from "../harness/dynamicHost";
import { waitForCondition } from "../harness/waitForCondition";
import { cloudsUnderTest } from "../reliability/clouds";
import type { PluginHost } from "./pluginHost";

// What only the native door can carry, for every cloud: the request's timeout (customTimeouts)
// as the deadline of the wait, and the engine's Cancel stopping a wait at once. Either way a
// machine the cloud already has comes back as a partial create with its id: never an orphan.

describe.each(cloudsUnderTest.map((c) => [c.cloud, c] as const))("%s via plugin: customTimeouts and Cancel", (_name, cloud) => {
  let stack: CloudStack<any>;
  let shared: Record<string, unknown> = {};
  const vmUrn = () => stack.urnOf(cloud.vmResource);
  const named = (name: string) => cloud.machines(stack).filter((m) => m.name === name);

  beforeAll(async () => {
    stack = await cloud.startStack("plugin");
    shared = await cloud.prepare(stack);
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    cloud.faults.clear(stack);
    cloud.setTimeScale(stack, cloud.fastTimeScale);
  });

  async function inputsFor(name: string, extra: Record<string, unknown> = {}) {
    const res = await stack.host.check(vmUrn(), {}, { ...stack.byName(cloud.vmResource).inputs, ...shared, name, ...extra });
    expect(res.failures).toEqual([]);
    return res.inputs;
  }

  test("customTimeouts.create shorter than the resource's own deadline: partial create with the id when it passes", async () => {
    cloud.faults.stickProvisioning(stack);
    const started = Date.now();
    // createTimeoutSeconds stays at its default (15-30 minutes): only the request's 2 s can end this wait.
    const err = (await stack.host.create(vmUrn(), await inputsFor("ct-short"), { timeoutSec: 2 }).catch((e) => e)) as HostCallError;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(err.initFailed?.id).toBe(named("ct-short")[0]?.id);
    expect(err.message).toMatch(/deadline from customTimeouts \(2s\)/);
    expect(err.initFailed?.properties.name).toBe("ct-short");
  });

  test("customTimeouts.create longer than createTimeoutSeconds: the request's timeout wins", async () => {
    // Slower provisioning (a few seconds) than createTimeoutSeconds: 1 allows.
    cloud.setTimeScale(stack, cloud.fastTimeScale / 8);
    const created = await stack.host.create(vmUrn(), await inputsFor("ct-long", { createTimeoutSeconds: 1 }), { timeoutSec: 300 });
    expect(named("ct-long").map((m) => m.id)).toEqual([created.id]);
    expect(named("ct-long")[0].status).toMatch(cloud.runningStatus);
  });

  test("Cancel stops a create's wait at once: a partial create with the id; nothing new starts after it", async () => {
    const host = (await stack.newHost()) as PluginHost;
    cloud.faults.stickProvisioning(stack);
    const pending = host.create(vmUrn(), await inputsFor("cancelled")).catch((e) => e as HostCallError);
    await waitForCondition(() => named("cancelled").length === 1, "the cloud has the machine", 15_000);
    const cancelledAt = Date.now();
    await host.cancel();
    const err = await pending;
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    expect(err.initFailed?.id).toBe(named("cancelled")[0].id);
    expect(err.message).toMatch(/cancelled/);
    const before = cloud.requests(stack).length;
    const refused = await host.create(vmUrn(), await inputsFor("after-cancel")).catch((e) => e as HostCallError);
    expect(refused.message).toMatch(/cancelled/);
    expect(refused.initFailed).toBeUndefined();
    expect(cloud.requests(stack).length).toBe(before);
    await host.close();
  });
});
