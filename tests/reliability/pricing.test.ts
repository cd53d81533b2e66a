import type { CloudStack } from "../harness/cloudStack";
import type { DynamicHost } from "../harness/dynamicHost";
import { cloudsAndDoors } from "./clouds";
import type { CloudUnderTest } from "./cloudsUnderTest";

// Issue 16: every GpuVm's check adds `pricePerHour`, `currency` and `priceSource` (so a preview
// shows them), the budget guard refuses a machine over its cap with zero create requests, and a
// price that moves never changes the diff. Expected prices are read from what the emulator
// serves, in each cloud's own fields and units, for an offer the inputs pin down.

interface Priced {
  /** VM inputs that pin one offer, merged over the program's. */
  inputs: Record<string, unknown>;
  drop?: string[];
  price: number;
  currency: "USD" | "USDC";
  priceSource: "cloud" | "priceTable";
  /** Extra provider config (GPCN's price table). */
  config?: Record<string, string>;
}

const SKU = "H100-80G-TEST";

async function served(stack: CloudStack<any>, path: string, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${stack.emulator.url}${path}`, { headers });
  if (!res.ok) throw new Error(`emulator ${path}: HTTP ${res.status}`);
  return res.json();
}

/** One offer the emulator serves, and its price as the cloud's documentation defines it. */
async function pricedOffer(cloud: string, stack: CloudStack<any>): Promise<Priced> {
  if (cloud === "nova") {
    // nova.md §11: gpu_price_hourly is USD per GPU-hour.
    const offers: any[] = await served(stack, "/search");
    const o = offers.find((x) => x.available && x.node && [1, 2, 4, 8].includes(x.gpu_count) && typeof x.gpu_price_hourly === "number");
    return { inputs: { gpuType: o.gpu_type, gpuCount: o.gpu_count, node: o.node }, price: round(o.gpu_price_hourly * o.gpu_count), currency: "USD", priceSource: "cloud" };
  }
  if (cloud === "novita") {
    // novita.md §1: prices are 1/100,000 USD per hour (strings live), per GPU (§10).
    const body = await served(stack, "/products", { authorization: `Bearer ${stack.apiKey}` });
    const p = body.data.find((x: any) => x.availableDeploy !== false && x.price !== undefined);
    return { inputs: { productId: p.id, gpuCount: 2 }, drop: ["productName"], price: round((Number(p.price) / 100_000) * 2), currency: "USD", priceSource: "cloud" };
  }
  if (cloud === "fluence") {
    // fluence.md §5: an option's pricing.hour is for the whole option, in pricing.currency.
    const body = await served(stack, "/gpu/plans/vms", { "x-api-key": stack.apiKey });
    const groups: any[] = Array.isArray(body) ? body : body.data;
    const option = groups.flatMap((g) => (g.availability_by_number ?? []).flatMap((c: any) => c.options ?? [])).find((o: any) => o.pricing?.hour !== undefined);
    return { inputs: { planId: option.id }, drop: ["gpuModel", "gpuCount", "location"], price: option.pricing.hour, currency: option.pricing.currency, priceSource: "cloud" };
  }
  // GPCN publishes no prices: the user's table is the source.
  return { inputs: { skuCode: SKU }, price: 2.75, currency: "USD", priceSource: "priceTable", config: { "gpcn:priceTable": JSON.stringify({ [SKU]: 2.75, "A100-40G-TEST": 1.1 }) } };
}

const round = (v: number) => Math.round(v * 100_000) / 100_000;

function inputsFor(base: Record<string, unknown>, priced: Priced, extra: Record<string, unknown> = {}) {
  const out: Record<string, unknown> = { ...base, ...priced.inputs, ...extra };
  for (const k of priced.drop ?? []) delete out[k];
  return out;
}

describe.each(cloudsAndDoors)("%s: price at check, budget guard", (_label, cloud: CloudUnderTest, door) => {
  let stack: CloudStack<any>;
  let host: DynamicHost;
  let priced: Priced;
  let base: Record<string, unknown>;
  const config = () => ({ [`${cloud.cloud}:apiKey`]: stack.apiKey, [`${cloud.cloud}:endpoint`]: stack.emulator.url, ...priced.config });

  beforeAll(async () => {
    stack = await cloud.startStack(door);
    priced = await pricedOffer(cloud.cloud, stack);
    host = await stack.newHost({}, config());
    base = { ...stack.byName(cloud.vmResource).inputs, ...(await cloud.prepare(stack)) };
  });
  afterAll(() => stack.close());

  const creates = () => cloud.requests(stack).filter((r) => `${r.method} ${r.path}` === cloud.createRoute).length;

  test("check returns pricePerHour, currency and priceSource as the emulator serves them", async () => {
    const res = await host.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced));
    expect(res.failures).toEqual([]);
    expect(res.inputs).toMatchObject({ pricePerHour: priced.price, currency: priced.currency, priceSource: priced.priceSource });
  });

  test("the price list is read once per process: five more checks send no request", async () => {
    await host.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced));
    const before = cloud.requests(stack).length;
    for (let n = 0; n < 5; n++) {
      const res = await host.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced, { name: `${base.name}-${n}` }));
      expect(res.inputs.pricePerHour).toBe(priced.price);
    }
    expect(cloud.requests(stack).length).toBe(before);
  });

  test("a machine over maxPricePerHour is refused at check naming price and cap, with zero create requests", async () => {
    const before = creates();
    const cap = round(priced.price / 2);
    const res = await host.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced, { maxPricePerHour: cap }));
    expect(res.failures.map((f) => f.property)).toEqual(["maxPricePerHour"]);
    expect(res.failures[0].reason).toMatch(/costs .* over the cap of/);
    expect(creates()).toBe(before);
  });

  test("maxStackPricePerHour in provider config refuses the same machine; a negative cap is a clear error", async () => {
    const capped = await stack.newHost({}, { ...config(), "gpucloud:maxStackPricePerHour": String(round(priced.price / 2)) });
    const res = await capped.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced));
    expect(res.failures.map((f) => f.property)).toEqual(["maxStackPricePerHour"]);
    const fits = await capped.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced, { maxPricePerHour: priced.price * 10 }));
    expect(fits.failures.map((f) => f.property)).toEqual(["maxStackPricePerHour"]);
    if (door === "dynamic") {
      // The plugin refuses a negative cap at CheckConfig (tests/plugin); the dynamic door at check.
      const negative = await stack.newHost({}, { ...config(), "gpucloud:maxStackPricePerHour": "-5" });
      const bad = await negative.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced));
      expect(bad.failures[0]).toMatchObject({ property: "maxStackPricePerHour", reason: expect.stringMatching(/positive/) });
    }
  });

  test("a moved price, or state without price fields (0.1.0), never changes the diff", async () => {
    const news = (await host.check(stack.urnOf(cloud.vmResource), {}, inputsFor(base, priced))).inputs;
    const { pricePerHour: _p, currency: _c, priceSource: _s, ...oldState } = news;
    const moved = await host.diff("vm-1", stack.urnOf(cloud.vmResource), { ...news, pricePerHour: priced.price + 1 }, news);
    expect(moved.changes).toBe("DIFF_NONE");
    const fromOld = await host.diff("vm-1", stack.urnOf(cloud.vmResource), oldState, news);
    expect(fromOld.changes).toBe("DIFF_NONE");
    expect(fromOld.replaces ?? []).toEqual([]);
  });
});
