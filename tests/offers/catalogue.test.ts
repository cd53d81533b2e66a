import { ValidationError } from "../../provider/core/errors";
import { getOffers, inRegion } from "../../provider/offers/catalogue";
import { configSource, KEYS, startEmulators, type Emulators } from "../multicloud/multiCloudStack";

let e: Emulators;
beforeAll(async () => {
  e = await startEmulators();
});
afterAll(() => e?.close());

// The environment is passed empty: only stack config counts here.
const read = (query: Parameters<typeof getOffers>[1], config = e.config) => getOffers(configSource(config), query, {});
const priced = (offers: { pricePerHour?: number }[]) => offers.filter((o) => o.pricePerHour !== undefined).map((o) => o.pricePerHour!);

test("H100 ×1 across four clouds: cheapest first, GPCN (no prices) last, nothing else", async () => {
  const { offers, failures, skipped } = await read({ gpu: "h100", gpuCount: 1 });
  expect([failures, skipped]).toEqual([[], []]);
  expect(new Set(offers.map((o) => o.cloud))).toEqual(new Set(["gpcn", "novita", "fluence"])); // Nova sells no H100
  expect(offers.every((o) => o.gpu === "H100" && o.gpuCount === 1)).toBe(true);
  const prices = priced(offers);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  expect(prices[0]).toBe(1.95);
  const firstUnpriced = offers.findIndex((o) => o.pricePerHour === undefined);
  expect(offers.slice(firstUnpriced).every((o) => o.cloud === "gpcn" && o.pricePerHour === undefined)).toBe(true);
});

test("maxPricePerHour keeps only offers known to cost at most that", async () => {
  const { offers } = await read({ gpu: "H100", gpuCount: 1, maxPricePerHour: 2.2 });
  expect(offers.map((o) => [o.cloud, o.location, o.pricePerHour])).toEqual([
    ["fluence", "us-east-2", 1.95],
    ["fluence", "eu-north-1", 2.1],
  ]);
});

test("regions match words of the location; clouds limits the clouds read", async () => {
  const us = await read({ gpu: "H100", gpuCount: 1, regions: ["us"] });
  expect(us.offers.map((o) => `${o.cloud} ${o.location}`)).toEqual(["fluence us-east-2", "novita US-CA-06 (California)"]);
  const kan = await read({ gpu: "RTX PRO 6000", gpuCount: 2, regions: ["kan-1"] });
  expect(kan.offers.map((o) => [o.cloud, o.location])).toEqual([["gpcn", "KAN-1"]]);
  const two = await read({ gpu: "4090", gpuCount: 1, clouds: ["nova", "fluence"] });
  expect(new Set(two.offers.map((o) => o.cloud))).toEqual(new Set(["nova", "fluence"]));
  expect(two.offers[0]).toMatchObject({ cloud: "fluence", pricePerHour: 0.45 });
  expect(inRegion("vm03 (Helsinki, FI)", "helsinki")).toBe(true);
  expect(inRegion("us-east-2", "us-east")).toBe(true);
  expect(inRegion("Russia", "us")).toBe(false);
});

test("a cloud without a key is skipped; Nova is read without one", async () => {
  const productReads = () => e.novita.requests().filter((r) => r.path.includes("/products")).length;
  const before = productReads();
  const { offers, skipped, failures } = await read({ gpu: "RTX 4090", gpuCount: 1 }, { "nova:endpoint": e.config["nova:endpoint"], "novita:endpoint": e.config["novita:endpoint"] });
  expect(failures).toEqual([]);
  expect(skipped.map((s) => s.cloud)).toEqual(["gpcn", "novita", "fluence"]);
  expect(skipped[1].reason).toMatch(/novita:apiKey or NOVITA_API_KEY/);
  expect(offers.length).toBeGreaterThan(0);
  expect(offers.every((o) => o.cloud === "nova")).toBe(true);
  expect(productReads()).toBe(before);
});

test("a cloud that fails is reported beside the others' offers, not thrown", async () => {
  const { offers, failures } = await read({ gpu: "RTX 4090", gpuCount: 1 }, { ...e.config, "fluence:apiKey": "wrong_key_1234" });
  expect(failures).toEqual([{ cloud: "fluence", kind: "auth", message: expect.stringMatching(/^fluence|Fluence/) }]);
  expect(failures[0].message).not.toContain(KEYS.fluence);
  expect(new Set(offers.map((o) => o.cloud))).toEqual(new Set(["nova", "novita"]));
});

test("an unknown GPU name or cloud is a validation error, not an empty list", async () => {
  await expect(read({ gpu: "V100", gpuCount: 1 })).rejects.toThrow(ValidationError);
  await expect(read({ gpu: "V100", gpuCount: 1 })).rejects.toThrow(/known GPUs: H100, H200/);
  await expect(read({ gpu: "H100", gpuCount: 1, clouds: ["aws"] })).rejects.toThrow(/unknown cloud aws/);
});
