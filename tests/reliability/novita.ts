import type { NovitaEmulator } from "../../emulator";
import type { CloudStack } from "../harness/cloudStack";
import { startNovitaStack } from "../novita/novitaStack";
import { MISSING, type CloudUnderTest } from "./cloudsUnderTest";

type Stack = CloudStack<NovitaEmulator>;

export const novitaUnderTest: CloudUnderTest<NovitaEmulator> = {
  cloud: "novita",
  badInputs: [
    { resource: "vm", field: "name", value: "" },
    { resource: "vm", field: "productId", value: "p-1", property: "productName" },
    { resource: "vm", field: "productName", value: MISSING, property: "productId" },
    { resource: "vm", field: "productName", value: "" },
    { resource: "vm", field: "gpuCount", value: 9 },
    { resource: "vm", field: "rootfsSize", value: 5 },
    { resource: "vm", field: "rootfsSize", value: 7000 },
    { resource: "vm", field: "ports", value: [{ port: 2222, type: "tcp" }] },
    { resource: "vm", field: "ports", value: [{ port: 80, type: "udp" }] },
    { resource: "vm", field: "ports", value: Array.from({ length: 16 }, (_, i) => ({ port: 9000 + i, type: "tcp" })) },
    { resource: "vm", field: "imageUrl", value: "" },
    { resource: "vm", field: "imageUrl", value: MISSING },
    { resource: "vm", field: "imageAuthId", value: "" },
    { resource: "vm", field: "imageAuth", value: "no-colon" },
    { resource: "vm", field: "envs", value: Array.from({ length: 101 }, (_, i) => ({ key: `K${i}`, value: "v" })) },
    { resource: "vm", field: "envs", value: [{ key: "", value: "v" }] },
    { resource: "vm", field: "command", value: "x".repeat(2048) },
    { resource: "vm", field: "entrypoint", value: "x".repeat(2048) },
    { resource: "vm", field: "networkStorages", value: [{ id: "", mountPoint: "/data" }] },
    { resource: "vm", field: "tools", value: [{ name: "VSCode", port: 8888, type: "http" }] },
    { resource: "vm", field: "clusterId", value: "" },
    { resource: "vm", field: "networkId", value: "" },
    { resource: "vm", field: "kind", value: "tpu" },
    { resource: "vm", field: "billingMode", value: "hourly" },
    { resource: "vm", field: "month", value: 3 },
    { resource: "vm", field: "month", value: MISSING, with: { billingMode: "monthly" } },
    { resource: "vm", field: "autoRenew", value: true },
    { resource: "vm", field: "autoRenewMonth", value: 13 },
    { resource: "vm", field: "minCudaVersion", value: "twelve" },
    { resource: "vm", field: "createTimeoutSeconds", value: 0 },
    { resource: "vm", field: "deleteTimeoutSeconds", value: -1 },
    { resource: "vm", field: "maxPricePerHour", value: -1 },
    { resource: "vm", field: "maxPricePerHour", value: 0 },
    { resource: "vm", field: "powerState", value: "paused" },
    { resource: "vm", field: "adoptId", value: "" },
  ],
  startStack: (door) => startNovitaStack({ door }),
  vmResource: "vm",
  prepare: async () => ({}),
  machines: (stack) =>
    stack.emulator
      .instances()
      .filter((i) => i.status !== "removed" && i.status !== "removing")
      .map((i) => ({ id: i.id, name: i.name, status: i.status })),
  requests: (stack) => stack.emulator.requests().map((r) => ({ method: r.method, path: r.path, status: r.status, at: Date.parse(r.at) })),
  machinePath: "/gpu-instance/openapi/v1/gpu/instance",
  createRoute: "POST /gpu-instance/openapi/v1/gpu/instance/create",
  faults: {
    clear: (stack) => stack.emulator.faults.clear(),
    rateLimitBurst: (stack, count, retryAfterSec) =>
      stack.emulator.faults.set("rateLimitBurst", { count, retryAfterSec, pathPrefix: "/gpu-instance/openapi/v1/gpu/instance" }),
    serverErrorsOnReads: (stack, count) => stack.emulator.faults.set("serverErrorBurst", { count, status: 502, html: true, method: "GET" }),
    resetsOnReads: (stack, count) => stack.emulator.faults.set("connectionResetBurst", { count, method: "GET" }),
    loseCreateResponse: (stack) => stack.emulator.faults.set("loseCreateResponse", { count: 1 }),
    failProvisioning: (stack, message) => {
      stack.emulator.faults.set("failNextStarts", { count: 1, message });
      return new RegExp(message);
    },
    stickProvisioning: (stack) => stack.emulator.faults.set("stuckNextStarts", { count: 1 }),
    capacity: (stack) => stack.emulator.faults.set("rejectNextCreates", { count: 1, reason: "INSUFFICIENT_RESOURCE" }),
  },
  capacityMessage: /INSUFFICIENT_RESOURCE|insufficient resource/i,
  failedMachineRemains: true,
  importUnreported: [],
  runningStatus: /^running$/,
  renameInPlace: false,
  setTimeScale: (stack, n) => stack.emulator.setTimeScale(n),
  fastTimeScale: 600,
  deleteOutOfBand: (stack: Stack, id) => void stack.emulator.deleteOutOfBand(id),
  // Novita has no rename: nothing can rename an instance behind our back.
};
