import { CapacityError } from "../../provider/core/errors";
import type { ResourceHandler } from "../../provider/core/resourceHandler";
import { multicloudGpuVm } from "../../provider/multicloud/gpuVm";
import { captureProgressLogs } from "../harness/progressLogs";

// multicloud:GpuVm reaches the clouds only through the lookup it is given (provider/index.ts hands
// it `handlerFor`); here a lookup of doubles stands in, so no cloud and no root module is involved.

const logs = captureProgressLogs();
beforeEach(() => logs.splice(0));

function fakeGpuVm(create: ResourceHandler["create"]): ResourceHandler {
  return {
    rules: { type: "x:GpuVm", fields: { name: { change: "inPlace", via: "rename" } } },
    check: async (_config, _olds, news) => ({ inputs: news }),
    diff: async () => ({ changes: false }),
    create,
    read: async () => ({}),
    update: async () => ({ outs: {} }),
    delete: async () => undefined,
  };
}

const offers = [
  { cloud: "gpcn", inputs: { datacenterId: "dc-1", seriesCode: "h100_series", gpuCount: 1, sshKeyId: "k" } },
  { cloud: "nova", inputs: { node: "vm02", gpuType: "RTX 5090", gpuCount: 1, sshKeyIds: ["k"] } },
];

test("create asks the given lookup for each cloud's GpuVm, and records a capacity answer in the cloud's own words", async () => {
  const asked: string[] = [];
  const soldOut = new CapacityError("GPCN: POST /resource/gpu failed: Inventory depleted for h100 [HTTP 409, code INVENTORY]", {
    cloud: "gpcn",
    status: 409,
    code: "INVENTORY",
    cloudMessage: "Inventory depleted for h100",
  });
  const handlers: Record<string, ResourceHandler> = {
    "gpcn:GpuVm": fakeGpuVm(async () => {
      throw soldOut;
    }),
    "nova:GpuVm": fakeGpuVm(async (_config, inputs) => ({ id: "vm-9", outs: { ...inputs, status: "running" } })),
  };
  const handler = multicloudGpuVm((type) => {
    asked.push(type);
    return handlers[type];
  });
  const created = await handler.create(undefined, { name: "trainer", offers, createTimeoutSeconds: 60, deleteTimeoutSeconds: 60 });
  expect(created.id).toBe("vm-9");
  expect(new Set(asked)).toEqual(new Set(["gpcn:GpuVm", "nova:GpuVm"]));
  expect(created.outs).toMatchObject({ cloud: "nova", attempts: [{ index: 0, cloud: "gpcn", outcome: "Inventory depleted for h100" }] });
  // The fallback is told as it happens: each offer tried, and why the first was passed over.
  expect(logs).toEqual([
    { level: "info", message: 'multicloud:GpuVm "trainer": trying offer 0 (1 of 2): gpcn h100_series×1 in datacenter dc-1' },
    { level: "warn", message: 'multicloud:GpuVm "trainer": gpcn h100_series×1 in datacenter dc-1 has no capacity; trying the next offer' },
    { level: "info", message: 'multicloud:GpuVm "trainer": trying offer 1 (2 of 2): nova RTX 5090×1 on vm02' },
  ]);
});

test("an outcome without the cloud's words says the status and code, never the request line", async () => {
  const bare = new CapacityError("GPCN: POST /resource/gpu failed: HTTP 503 [HTTP 503]", { cloud: "gpcn", status: 503 });
  const handler = multicloudGpuVm((type) =>
    type === "gpcn:GpuVm"
      ? fakeGpuVm(async () => {
          throw bare;
        })
      : fakeGpuVm(async () => ({ id: "vm-2", outs: { status: "running" } })),
  );
  const created = await handler.create(undefined, { name: "trainer", offers, createTimeoutSeconds: 60, deleteTimeoutSeconds: 60 });
  expect(created.outs.attempts).toEqual([expect.objectContaining({ outcome: "HTTP 503" })]);
});
