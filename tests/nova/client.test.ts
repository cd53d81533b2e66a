import { errorFromResponse } from "../../provider/core/errors";
import { classifyNovaError, isMissingRoute } from "../../provider/nova/client";
import { pickCheapestOffer } from "../../provider/nova/offers";
import { listOf, offerSchema, pricingSchema, vmSchema } from "../../provider/nova/schemas";
import type { NovaOffer } from "../../provider/nova/schemas";

const nova = (status: number, body: unknown, path = "/vms") =>
  errorFromResponse({ cloud: "nova", label: "Nova", status, method: "POST", path, body }, classifyNovaError);

describe("Nova errors", () => {
  test("{detail} strings: balance and limits are quota, no free GPUs is capacity", () => {
    expect(nova(400, { detail: "Insufficient balance. Required: $10.00, Available: $5.50" }).kind).toBe("quota");
    expect(nova(403, { detail: "VM limit reached: your standard tier allows at most 3 VMs" }).kind).toBe("quota");
    expect(nova(403, { detail: "Maximum hourly spend exceeded: …" }).kind).toBe("quota");
    expect(nova(400, { detail: "Maximum of 5 SSH keys allowed per account" }).kind).toBe("quota");
    expect(nova(400, { detail: "Not enough available GPUs on node vm01: requested 8, available 4" }).kind).toBe("capacity");
    expect(nova(400, { detail: "Cannot stop VM in status creating" }).kind).toBe("validation");
  });

  test("{detail} as a FastAPI list names each field", () => {
    const err = nova(422, { detail: [{ loc: ["body", "storage_gb"], msg: "Input should be greater than or equal to 50", type: "greater_than_equal" }] });
    expect(err.kind).toBe("validation");
    expect(err.issues).toEqual([{ path: "storage_gb", message: "Input should be greater than or equal to 50" }]);
    expect(err.message).toContain("storage_gb: Input should be greater than or equal to 50");
  });

  test("a missing route (405, or FastAPI's bare Not Found) is told apart from a missing VM", () => {
    expect(isMissingRoute(nova(405, { detail: "Method Not Allowed" }))).toBe(true);
    expect(isMissingRoute(nova(404, { detail: "Not Found" }))).toBe(true);
    expect(isMissingRoute(nova(404, { detail: "VM not found" }))).toBe(false);
  });
});

describe("tolerant parsing of inferred shapes", () => {
  test("lists come bare or wrapped", () => {
    const vm = { id: "a", status: "RUNNING", gpu_type: 4090, vmid: "12" };
    expect(listOf(vmSchema).parse([vm])[0]).toMatchObject({ id: "a", status: "running", gpuType: "4090", vmid: 12 });
    expect(listOf(vmSchema).parse({ items: [vm] })).toHaveLength(1);
    expect(listOf(vmSchema).parse({ vms: [vm] })).toHaveLength(1);
  });

  test("an offer's node may be spelled node_id or hostname; available defaults to true", () => {
    expect(offerSchema.parse({ node_id: 7, gpu_type: "4090", gpu_count: 1, gpu_price_hourly: "0.5" })).toMatchObject({ node: "7", available: true, gpuPriceHourly: 0.5 });
    expect(offerSchema.parse({ hostname: "vm09", gpu_type: "pro6000" }).node).toBe("vm09");
  });

  test("pricing keeps keys it does not know", () => {
    expect(pricingSchema.parse({ gpus: { "4090": "0.6" }, storage: 1 })).toMatchObject({ gpus: { "4090": 0.6 }, storage: 1 });
  });
});

describe("node auto-selection", () => {
  const offer = (node: string, gpuType: string, gpuCount: number, price: number, extra: Partial<NovaOffer> = {}): NovaOffer => ({
    node, gpuType, gpuCount, gpuPriceHourly: price, interruptibleRate: undefined, available: true, gpuRamMb: undefined, location: undefined, cpuCores: undefined, ramGb: undefined, ...extra,
  });
  const offers = [
    offer("vm01", "4090", 1, 0.6, { interruptibleRate: 0.1 }),
    offer("vm02", "4090", 1, 0.55, { interruptibleRate: 0.2 }),
    offer("vm03", "4090", 1, 0.4, { available: false }),
    offer("vm04", "4090", 2, 0.3),
    offer("vm05", "pro6000", 1, 1.7),
  ];

  test("the cheapest available offer of that type and exact count", () => {
    expect(pickCheapestOffer(offers, { gpuType: "4090", gpuCount: 1, rentalType: "on_demand" }).node).toBe("vm02");
    expect(pickCheapestOffer(offers, { gpuType: "4090", gpuCount: 1, rentalType: "interruptible" }).node).toBe("vm01");
    expect(pickCheapestOffer(offers, { gpuType: "6000pro", gpuCount: 1, rentalType: "on_demand" }).gpuType).toBe("pro6000");
  });

  test("nothing fits: capacity (type known) or validation (type unknown)", () => {
    expect(() => pickCheapestOffer(offers, { gpuType: "4090", gpuCount: 8, rentalType: "on_demand" })).toThrow(expect.objectContaining({ kind: "capacity" }));
    expect(() => pickCheapestOffer(offers, { gpuType: "h100", gpuCount: 1, rentalType: "on_demand" })).toThrow(expect.objectContaining({ kind: "validation" }));
    expect(() => pickCheapestOffer([offer(undefined as unknown as string, "4090", 1, 0.1)], { gpuType: "4090", gpuCount: 1, rentalType: "on_demand" })).toThrow(/set `node` explicitly/);
  });
});
