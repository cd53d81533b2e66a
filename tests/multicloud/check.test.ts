import { handlerFor } from "../../provider/index";
import { UNKNOWN } from "../../provider/core/unknown";

// Preview: values from other resources arrive unknown and must pass; what is known is still checked.
const vm = handlerFor("multicloud:GpuVm");
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
