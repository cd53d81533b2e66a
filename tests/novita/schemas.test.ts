import { errorFromResponse } from "../../provider/core/errors";
import { classifyNovitaError } from "../../provider/novita/client";
import { instanceMarker, isThisResourcesInstance, MARKER_ENV } from "../../provider/novita/instanceMarker";
import { resetOutcome, runningOutcome } from "../../provider/novita/observations";
import { cheapestProduct } from "../../provider/novita/products";
import { createReplySchema, instanceListSchema, instanceSchema, productListSchema } from "../../provider/novita/schemas";

describe("Novita response schemas", () => {
  test("numbers sent as strings are parsed; '-1' end time means none; unix-second strings become ISO times", () => {
    const i = instanceSchema.parse({
      id: "3560b7fec915bbf9", name: "t", cpuNum: "16", memory: "62", gpuNum: "1", status: "running",
      statusError: { state: "", message: "" }, endTime: "-1", createdAt: "1711995567", spotReclaimTime: "0",
      connectComponentSSH: { sshCommand: "ssh root@h -p 31022", password: "pw", isRunning: true },
      portMappings: [{ port: 8888, endpoint: "h:31234", type: "HTTP" }], extra: { ignored: true },
    });
    expect(i).toMatchObject({ cpuCount: 16, memoryGb: 62, gpuCount: 1, sshPassword: "pw", createdAt: "2024-04-01T18:19:27.000Z", portMappings: [{ port: 8888, type: "http" }] });
    expect(i.endTime).toBeUndefined();
    expect(i.statusError).toBeUndefined();
    expect(i.spotReclaimTime).toBeUndefined();
  });

  test("a number field with garbage reads as absent instead of NaN", () => {
    expect(instanceSchema.parse({ id: 5, gpuNum: "n/a" })).toMatchObject({ id: "5", gpuCount: undefined });
  });

  test("older answers with top-level sshCommand/sshPassword, list items with string volume sizes", () => {
    expect(instanceSchema.parse({ id: "a", sshCommand: "ssh x", sshPassword: "p" })).toMatchObject({ sshCommand: "ssh x", sshPassword: "p" });
    const list = instanceListSchema.parse({ instances: [{ id: "a", rootfsSize: "60", volumeMounts: [{ type: "network", size: "100", id: "n" }] }], total: "1" });
    expect(list).toMatchObject({ total: 1, instances: [{ rootfsSize: 60, networkVolumes: [{ id: "n" }] }] });
  });

  test("create answers {id}; prices in 1/100 000 USD become USD per hour, string or number", () => {
    expect(createReplySchema.parse({ id: "abc" }).id).toBe("abc");
    const [p, q] = productListSchema.parse({
      data: [
        { id: "4090.16c62g", name: "RTX 4090 24GB", price: "35000", spotPrice: 18000, monthlyPrice: [{ price: "22000000", month: 1 }], availableDeploy: true },
        { id: "x", price: 1 },
      ],
    }).data;
    expect(p).toMatchObject({ pricePerGpuHourUsd: 0.35, spotPricePerGpuHourUsd: 0.18, monthlyPrices: [{ months: 1, priceUsd: 220 }] });
    expect(q).toMatchObject({ name: "x", pricePerGpuHourUsd: 0.00001, availableDeploy: true });
  });
});

describe("Novita errors: the reason, not the HTTP status, decides", () => {
  const err = (status: number, reason: string, message = "m") =>
    errorFromResponse({ cloud: "novita", label: "Novita", status, method: "POST", path: "/gpu/instance/create", body: { code: status, reason, message, metadata: {} } }, classifyNovitaError);

  test.each([
    ["INSUFFICIENT_RESOURCE", "capacity"],
    ["GPU_SPEC_USED", "capacity"],
    ["BALANCE_NOT_ENOUGH", "quota"],
    ["CREATE_INSTANCE_LIMIT", "quota"],
    ["RESOURCE_NOT_FOUND", "notFound"],
    ["VALIDATOR_PARAM", "validation"],
  ])("400 %s → %s", (reason, kind) => {
    const e = err(400, reason);
    expect(e.kind).toBe(kind);
    expect(e.code).toBe(reason);
    expect(e.message).toContain(`code ${reason}`);
  });

  test("'invalid state change' is a conflict whatever the reason; 429 and 401 keep their meaning", () => {
    expect(err(400, "REQUEST", "invalid state change").kind).toBe("conflict");
    expect(err(429, "RATE_LIMIT_EXCEEDED").kind).toBe("rateLimit");
    expect(err(401, "UNAUTHORIZED").kind).toBe("auth");
    expect(err(500, "UNKNOWN").kind).toBe("server");
  });
});

describe("waiting on the status enum", () => {
  const inst = (o: Record<string, unknown>) => instanceSchema.parse({ id: "a", ...o });

  test("running succeeds; pulling waits; statusError or exited fails with Novita's words", () => {
    expect(runningOutcome(inst({ status: "running" })).state).toBe("success");
    expect(runningOutcome(inst({ status: "pulling" })).state).toBe("retry");
    expect(runningOutcome(inst({ status: "someNewStatus" })).state).toBe("retry");
    expect(runningOutcome(inst({ status: "pulling", statusError: { state: "pulling", message: "manifest unknown" } }))).toMatchObject({ state: "failure", message: expect.stringContaining("pulling: manifest unknown") });
    expect(runningOutcome(inst({ status: "exited" })).state).toBe("failure");
    expect(runningOutcome(undefined).state).toBe("failure");
  });

  test("after an upgrade, a running seen before any reset status is not yet the result", () => {
    const progress = { sawReset: false, elapsedMs: 1000, settledAfterMs: 30_000 };
    expect(resetOutcome(inst({ status: "running" }), progress).state).toBe("retry");
    expect(resetOutcome(inst({ status: "resetting" }), progress).state).toBe("retry");
    expect(resetOutcome(inst({ status: "running" }), progress).state).toBe("success");
    expect(resetOutcome(inst({ status: "running" }), { sawReset: false, elapsedMs: 31_000, settledAfterMs: 30_000 }).state).toBe("success");
  });
});

describe("cheapest product and the create marker", () => {
  const products = productListSchema.parse({
    data: [
      { id: "a", name: "RTX 4090", price: "39000", spotPrice: "20000", availableDeploy: true, maxRootFS: 200, billingMethods: ["onDemand", "spot"] },
      { id: "b", name: "RTX 4090", price: "35000", spotPrice: "25000", availableDeploy: true, maxRootFS: 1024, billingMethods: ["onDemand", "monthly", "spot"] },
      { id: "c", name: "RTX 4090", price: "1000", availableDeploy: true, inventoryState: "none" },
      { id: "d", name: "RTX 4090", price: "2000", availableDeploy: false },
    ],
  }).data;

  test("deployable, in stock, in the billing mode, with room for the root disk; by the mode's price", () => {
    expect(cheapestProduct(products)?.id).toBe("b");
    expect(cheapestProduct(products, { billingMode: "spot" })?.id).toBe("a");
    expect(cheapestProduct(products, { billingMode: "spot", rootfsSize: 500 })?.id).toBe("b");
    expect(cheapestProduct(products, { billingMode: "monthly", rootfsSize: 2000 })).toBeUndefined();
  });

  test("the marker tells this resource's instance from a same-named one with other immutable inputs", () => {
    const ins = { name: "t", productName: "RTX 4090", gpuCount: 1, rootfsSize: 60, imageUrl: "x", kind: "gpu", billingMode: "onDemand", createTimeoutSeconds: 1, deleteTimeoutSeconds: 1 } as const;
    const mine = instanceMarker(ins);
    expect(instanceMarker({ ...ins, imageUrl: "y", rootfsSize: 80 })).toBe(mine); // mutable inputs do not count
    const other = instanceMarker({ ...ins, tools: [{ name: "Jupyter", port: 8888, type: "http" }] });
    expect(other).not.toBe(mine);
    const withEnv = (value: string) => instanceSchema.parse({ id: "i", envs: [{ key: MARKER_ENV, value }] });
    expect(isThisResourcesInstance(withEnv(mine), ins, "b", mine)).toBe(true);
    expect(isThisResourcesInstance(withEnv(other), ins, "b", mine)).toBe(false);
    // No envs shown: the visible immutable fields decide.
    expect(isThisResourcesInstance(instanceSchema.parse({ id: "i", productId: "b", gpuNum: "1" }), ins, "b", mine)).toBe(true);
    expect(isThisResourcesInstance(instanceSchema.parse({ id: "i", productId: "b", gpuNum: "2" }), ins, "b", mine)).toBe(false);
  });
});
