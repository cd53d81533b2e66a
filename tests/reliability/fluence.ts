import { fluencePlanOptions, type FluenceEmulator } from "../../emulator";
import type { CloudStack } from "../harness/cloudStack";
import { newPublicKey, startFluenceStack } from "../fluence/fluenceStack";
import { MISSING, renamedOrNewMaterial, type CloudUnderTest } from "./cloudsUnderTest";

type Stack = CloudStack<FluenceEmulator>;

export const fluenceUnderTest: CloudUnderTest<FluenceEmulator> = {
  cloud: "fluence",
  badInputs: [
    { resource: "vm", field: "name", value: "Trainer" },
    { resource: "vm", field: "name", value: "-trainer" },
    { resource: "vm", field: "name", value: "x".repeat(26) },
    { resource: "vm", field: "kind", value: "container" },
    { resource: "vm", field: "planId", value: "", with: { gpuModel: MISSING, gpuCount: MISSING } },
    { resource: "vm", field: "gpuModel", value: MISSING, property: "gpuModel" },
    { resource: "vm", field: "gpuCount", value: 0 },
    { resource: "vm", field: "location", value: "" },
    { resource: "vm", field: "powerState", value: "stopped" },
    { resource: "vm", field: "maxPricePerHour", value: -1 },
    { resource: "vm", field: "osImage", value: MISSING },
    { resource: "vm", field: "sshPublicKey", value: "not a key" },
    { resource: "vm", field: "createTimeoutSeconds", value: 0 },
    { resource: "vm", field: "deleteTimeoutSeconds", value: "soon" },
    { resource: "key", field: "name", value: "" },
    { resource: "key", field: "publicKey", value: "ssh-dss AAAAB3NzaC1kc3MAAACBAP" },
    { resource: "vm", field: "adoptId", value: "" },
    { resource: "key", field: "adoptId", value: "" },
  ],
  startStack: (door) => startFluenceStack({ door }),
  vmResource: "vm",
  fleetInputs: {},
  vmType: "fluence:GpuVm",
  async replaceCases() {
    const h100At = (location: string) => fluencePlanOptions.find((o) => o.kind === "vm" && o.gpuModel.model === "h100" && o.gpuCount === 1 && o.location === location)!.id;
    return {
      kind: { from: { kind: "baremetal", gpuModel: "h200", gpuCount: 8, osImage: "ubuntu22.04_cuda12.4_shade_os" }, to: { kind: "vm" } },
      planId: { from: { gpuModel: MISSING, gpuCount: MISSING, planId: h100At("us-east-2") }, to: { planId: h100At("dulles-usa-1") } },
      gpuModel: { to: { gpuModel: "h200", osImage: "ubuntu22.04_cuda12.4_shade_os" } },
      gpuCount: { to: { gpuCount: 2 } },
      location: { from: { location: "us-east-2" }, to: { location: "dulles-usa-1" } },
      osImage: { to: { osImage: "Ubuntu Server 24.04" } },
      sshPublicKey: { to: { sshPublicKey: newPublicKey("replacement") } },
    };
  },
  sshKey: {
    type: "fluence:SshKey",
    resource: "key",
    // The same material under a new name: Fluence refuses a second copy (secondCopyRefused).
    replaceCases: () => renamedOrNewMaterial(() => newPublicKey("replace-test")),
    keys: (stack) => stack.emulator.sshKeys().map((k) => k.id),
    // README (fluence.SshKey, "When a create adopts an existing machine"): replacing a key without
    // changing its material needs deleteBeforeReplace.
    secondCopyRefused: /Set `deleteBeforeReplace: true` on this resource/,
    variants: [
      ["409 on a second copy", (stack) => stack.emulator.setDuplicateKeyAnswer("conflict")],
      ["legacy 200 with the existing key", (stack) => stack.emulator.setDuplicateKeyAnswer("legacy200")],
    ],
  },
  prepare: async (stack: Stack) => {
    await stack.host.create(stack.urnOf("key"), stack.byName("key").inputs);
    return {};
  },
  machines: (stack) =>
    stack.emulator
      .instances()
      .filter((i) => i.status !== "ENDED" && i.status !== "FAILED")
      .map((i) => ({ id: i.id, name: i.name, status: i.status })),
  requests: (stack) => stack.emulator.requests().map((r) => ({ method: r.method, path: r.path, status: r.status, at: Date.parse(r.at) })),
  machinePath: "/gpu/instances",
  createRoute: "POST /gpu/instances/vms",
  faults: {
    clear: (stack) => stack.emulator.faults.clear(),
    rateLimitBurst: (stack, count, retryAfterSec) => stack.emulator.faults.set("rateLimitBurst", { count, retryAfterSec, pathPrefix: "/gpu/instances" }),
    serverErrorsOnReads: (stack, count) => stack.emulator.faults.set("serverErrorBurst", { count, status: 502, html: true, method: "GET" }),
    resetsOnReads: (stack, count) => stack.emulator.faults.set("connectionResetBurst", { count, method: "GET" }),
    loseCreateResponse: (stack, skip = 0) => stack.emulator.faults.set("loseDeployResponse", { count: 1, skip }),
    // Fluence gives no reason for a failed deployment: the status is what the error can name.
    failProvisioning: (stack) => {
      stack.emulator.faults.set("failNextDeploys", { count: 1 });
      return /FAILED/;
    },
    stickProvisioning: (stack) => stack.emulator.faults.set("stuckNextDeploys", { count: 1 }),
    capacity: (stack) => stack.emulator.faults.set("planGoneNextDeploys", { count: 1 }),
  },
  capacityMessage: /no longer available/i,
  // Fluence refunds a FAILED deployment; it never runs and cannot be terminated.
  failedMachineRemains: false,
  importUnreported: [],
  runningStatus: /^ACTIVE$/,
  renameInPlace: true,
  setTimeScale: (stack, n) => stack.emulator.setTimeScale(n),
  fastTimeScale: 600,
  deleteOutOfBand: (stack, id) => void stack.emulator.endInstanceOutOfBand(id),
  refreshFollowsRename: true,
  renameOutOfBand: (stack, id, name) => void stack.emulator.renameInstanceOutOfBand(id, name),
};
