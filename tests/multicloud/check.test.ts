import { handlerFor } from "../../provider/index";
import { UNKNOWN } from "../../provider/core/unknown";
import { captureProgressLogs } from "../harness/progressLogs";

// Preview: values from other resources arrive unknown and must pass; what is known is still checked.
const vm = handlerFor("multicloud:GpuVm");
const logs = captureProgressLogs();
const gpcnOffer = (sshKeyId: unknown, gpuCount = 1) => ({ cloud: "gpcn", inputs: { datacenterId: "dc-1", seriesCode: "h100_series", gpuCount, sshKeyId } });

test("an unknown key id inside an offer passes check; a known bad count beside it does not", async () => {
  expect((await vm.check(undefined, {}, { name: "trainer", offers: [gpcnOffer(UNKNOWN)] })).failures).toBeUndefined();
  expect((await vm.check(undefined, {}, { name: UNKNOWN, offers: [gpcnOffer("key-1")] })).failures).toBeUndefined();
  const bad = await vm.check(undefined, {}, { name: "trainer", offers: [gpcnOffer(UNKNOWN, 3)] });
  expect(bad.failures).toEqual([{ property: "offers[0].inputs.gpuCount", reason: "must be 1, 2, 4 or 8" }]);
});

test("policy names are checked against the GPU table and the clouds; offers may not set the resource's own inputs", async () => {
  const res = await vm.check(undefined, {}, { name: "trainer", policy: { gpu: "V100", gpuCount: 1, clouds: ["aws"] } });
  expect(res.failures?.map((f) => f.property).sort()).toEqual(["policy.clouds.0", "policy.gpu"]);
  const own = await vm.check(undefined, {}, { name: "trainer", offers: [{ cloud: "gpcn", inputs: { ...gpcnOffer("k").inputs, name: "other", adoptId: "vm-1" } }] });
  expect(own.failures).toEqual([
    { property: "offers[0].inputs.name", reason: "set name on the resource, not per offer" },
    { property: "offers[0].inputs.adoptId", reason: "adopting is not supported through multicloud:GpuVm" },
  ]);
});

test("diff without a chosen cloud in state refuses instead of guessing a replacement", async () => {
  await expect(vm.diff(undefined, "vm-1", { name: "a" }, { name: "b" })).rejects.toThrow(/names no chosen cloud/);
});

test("the preview shows the first listed offer's cloud and price; maxPricePerHour refuses an offer over it (issue 16)", async () => {
  // GPCN's price comes from the provider config's table, so this check sends no request.
  const values: Record<string, string> = { "gpcn:apiKey": "k", "gpcn:endpoint": "http://127.0.0.1:9", "gpcn:priceTable": JSON.stringify({ "h100-sxm-80gb-1x": 2.5 }) };
  const config = { get: (key: string) => values[key] };
  const offer = { cloud: "gpcn", inputs: { ...gpcnOffer("key-1").inputs, skuCode: "h100-sxm-80gb-1x" } };
  const res = await vm.check(config, {}, { name: "trainer", offers: [offer] });
  expect(res.failures).toBeUndefined();
  expect(res.inputs).toMatchObject({ cloud: "gpcn", pricePerHour: 2.5, currency: "USD", priceSource: "priceTable" });
  const capped = await vm.check(config, {}, { name: "trainer", offers: [offer], maxPricePerHour: 2 });
  expect(capped.failures).toEqual([{ property: "offers[0].inputs.maxPricePerHour", reason: expect.stringMatching(/costs \$2\.50\/h, over the cap of \$2\.00\/h/) }]);
  // A price that moves, or a cap added later, never replaces the VM.
  const diff = await vm.diff(config, "vm-1", { ...res.inputs, chosenOffer: { cloud: "gpcn" }, pricePerHour: 3 }, { ...res.inputs, maxPricePerHour: 10 });
  expect(diff).toMatchObject({ replaces: [] });
  expect(logs.map((l) => l.message)).toContain('multicloud:GpuVm "trainer" on gpcn: maxPricePerHour (unset) → 10 is stored in state only');
});
