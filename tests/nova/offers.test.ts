import { startNovaEmulator, type NovaEmulator } from "../../emulator";
import { resolveSettings } from "../../provider/core/settings";
import { novaCloud } from "../../provider/nova/client";
import { getOffers, getPricing } from "../../provider/nova/offers";

// nova.getOffers() / nova.getPricing(): plain async look-ups of the public routes, no key needed.

let emu: NovaEmulator;
beforeAll(async () => {
  emu = await startNovaEmulator({ rateLimit: null });
});
afterAll(() => emu.close());

const config = (values: Record<string, string>) => ({ get: (k: string) => values[k] });

test("getOffers and getPricing read /search and /pricing without an API key", async () => {
  const before = emu.stats().requests;
  const offers = await getOffers(config({ "nova:endpoint": emu.url }));
  expect(offers).toContainEqual(expect.objectContaining({ node: "vm02", gpuType: "4090", gpuCount: 1, gpuPriceHourly: 0.55, available: true }));
  const pricing = await getPricing(config({ "nova:endpoint": emu.url }));
  expect(pricing.gpus).toEqual({ "5090": 0.89, "4090": 0.6, "6000pro": 1.79 });
  expect(emu.requests().slice(-2).map((r) => [r.path, r.status])).toEqual([["/search", 200], ["/pricing", 200]]);
  expect(emu.stats().requests - before).toBe(2);
});

test("the client's rate budget: 60/min to start, adapting (Nova publishes none); a configured one is a hard cap", () => {
  expect(resolveSettings(novaCloud, config({}), {}).rateBudget).toEqual({ limit: 60, windowMs: 60_000, adaptive: true });
  expect(resolveSettings(novaCloud, config({ "nova:requestsPerMinute": "300" }), {}).rateBudget).toEqual({ limit: 300, windowMs: 60_000 });
  expect(resolveSettings(novaCloud, config({}), { NOVA_REQUESTS_PER_MINUTE: "30" }).rateBudget).toEqual({ limit: 30, windowMs: 60_000 });
  expect(resolveSettings(novaCloud, config({}), {}).endpoint).toBe("https://api.nova-cloud.ai");
});
