import { capacitySummary, OutOfCapacityError } from "../../provider/core/capacitySummary";
import { CapacityError, GpuCloudError, isKind } from "../../provider/core/errors";

test("the message says what was tried, each offer with its cloud's answer", () => {
  const err = new OutOfCapacityError('multicloud:GpuVm "trainer"', [
    { cloud: "gpcn", offer: "H100×8 in KAN-1", outcome: "inventory depleted" },
    { cloud: "nova", offer: "5090×8 on vm02", outcome: "no capacity" },
  ]);
  expect(err.message).toBe('multicloud:GpuVm "trainer": out of capacity; tried 2 offers: gpcn H100×8 in KAN-1 → inventory depleted; nova 5090×8 on vm02 → no capacity');
  expect(err).toBeInstanceOf(CapacityError);
  expect(err).toBeInstanceOf(GpuCloudError);
  expect(isKind(err, "capacity")).toBe(true);
  expect(err.attempts).toHaveLength(2);
});

test("one offer, none, and a note", () => {
  expect(capacitySummary([{ cloud: "fluence", offer: "plan p1", outcome: "plan no longer available" }])).toBe("tried 1 offer: fluence plan p1 → plan no longer available");
  expect(new OutOfCapacityError("x", [], "no H100×8 offer matches the policy").message).toBe("x: out of capacity; tried no offers; no H100×8 offer matches the policy");
});
