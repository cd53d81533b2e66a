import type { NovaEmulator } from "../../emulator";
import type { CloudStack } from "../harness/cloudStack";
import { MISSING, renamedOrNewMaterial, type CloudUnderTest } from "./cloudsUnderTest";
import { keyAndVmProgram, newPublicKey, PASSWORD, startNovaStack } from "../nova/novaStack";


type Stack = CloudStack<NovaEmulator>;

export const novaUnderTest: CloudUnderTest<NovaEmulator> = {
  cloud: "nova",
  badInputs: [
    { resource: "vm", field: "name", value: "" },
    { resource: "vm", field: "name", value: "x".repeat(101) },
    { resource: "vm", field: "gpuType", value: "" },
    { resource: "vm", field: "gpuType", value: MISSING },
    { resource: "vm", field: "gpuCount", value: 3 },
    { resource: "vm", field: "gpuCount", value: "1" },
    { resource: "vm", field: "storageGb", value: 49 },
    { resource: "vm", field: "storageGb", value: 50.5 },
    { resource: "vm", field: "storageGb", value: MISSING },
    { resource: "vm", field: "templateVmid", value: "windows-11" },
    { resource: "vm", field: "templateVmid", value: 0 },
    { resource: "vm", field: "node", value: "" },
    { resource: "vm", field: "rentalType", value: "spot" },
    { resource: "vm", field: "reservationMonths", value: 2, with: { rentalType: "reserved" } },
    { resource: "vm", field: "reservationMonths", value: MISSING, with: { rentalType: "reserved" } },
    { resource: "vm", field: "reservationMonths", value: 3 },
    { resource: "vm", field: "authMethod", value: "token" },
    { resource: "vm", field: "sshKeyId", value: MISSING },
    { resource: "vm", field: "sshKeyId", value: "" },
    { resource: "vm", field: "password", value: "short-pass", with: { authMethod: "password", sshKeyId: MISSING } },
    { resource: "vm", field: "password", value: MISSING, with: { authMethod: "password", sshKeyId: MISSING } },
    { resource: "vm", field: "password", value: "long-enough-password" },
    { resource: "vm", field: "autoRestart", value: "yes" },
    { resource: "vm", field: "createTimeoutSeconds", value: 0 },
    { resource: "vm", field: "deleteTimeoutSeconds", value: 1.5 },
    { resource: "vm", field: "maxPricePerHour", value: -1 },
    { resource: "vm", field: "maxPricePerHour", value: 0 },
    { resource: "vm", field: "powerState", value: "paused" },
    { resource: "vm", field: "adoptId", value: "" },
    { resource: "key", field: "name", value: "x".repeat(101) },
    { resource: "key", field: "publicKey", value: "not a key" },
    { resource: "key", field: "publicKey", value: "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQ=" },
    { resource: "key", field: "publicKey", value: MISSING },
    { resource: "key", field: "adoptId", value: "" },
  ],
  startStack: (door) => startNovaStack({ program: keyAndVmProgram(), door }),
  vmResource: "vm",
  fleetInputs: { node: "vm01" },
  vmType: "nova:GpuVm",
  async replaceCases(stack: Stack) {
    const otherKey = await stack.host.create(stack.urnOf("key"), { ...stack.byName("key").inputs, name: "replace-key", publicKey: newPublicKey() });
    const byPassword = { authMethod: "password", password: PASSWORD, sshKeyId: MISSING };
    return {
      gpuType: { to: { gpuType: "5090" } },
      gpuCount: { to: { gpuCount: 2 } },
      storageGb: { to: { storageGb: 200 } },
      templateVmid: { to: { templateVmid: "comfyui" } },
      node: { from: { node: "vm02" }, to: { node: "vm01" } },
      rentalType: { to: { rentalType: "interruptible" } },
      reservationMonths: { from: { rentalType: "reserved", reservationMonths: 1 }, to: { reservationMonths: 3 } },
      // Nova shows neither the auth method nor the password: the VM being replaced looks the same.
      authMethod: { to: byPassword },
      sshKeyId: { to: { sshKeyId: otherKey.id } },
      password: { from: byPassword, to: { password: `${PASSWORD}-2` } },
    };
  },
  sshKey: {
    type: "nova:SshKey",
    resource: "key",
    // Nova keeps a second copy of the same material under another label: a renamed key is a new key.
    replaceCases: () => renamedOrNewMaterial(() => newPublicKey("replace-test")),
    keys: (stack) => stack.emulator.sshKeys().map((k) => k.id),
  },
  async prepare(stack: Stack) {
    const key = await stack.host.create(stack.urnOf("key"), stack.byName("key").inputs);
    return { sshKeyId: key.id };
  },
  machines: (stack) => stack.emulator.vms().map((v) => ({ id: v.id, name: v.instance_label ?? "", status: v.status })),
  requests: (stack) => stack.emulator.requests().map((r) => ({ method: r.method, path: r.path, status: r.status, at: Date.parse(r.at) })),
  machinePath: "/vms",
  createRoute: "POST /vms",
  faults: {
    clear: (stack) => stack.emulator.faults.clear(),
    rateLimitBurst: (stack, count, retryAfterSec) => stack.emulator.faults.set("rateLimitBurst", { count, retryAfterSec, pathPrefix: "/vms" }),
    serverErrorsOnReads: (stack, count) => stack.emulator.faults.set("serverErrorBurst", { count, status: 502, html: true, method: "GET" }),
    resetsOnReads: (stack, count) => stack.emulator.faults.set("connectionResetBurst", { count, method: "GET" }),
    loseCreateResponse: (stack, skip = 0) => stack.emulator.faults.set("loseCreateResponse", { count: 1, skip }),
    // Nova's VM object has no failure reason (nova.md §5): the status is all a client can report.
    failProvisioning: (stack) => {
      stack.emulator.faults.set("failNextCreates", { count: 1 });
      return /status failed/;
    },
    stickProvisioning: (stack) => stack.emulator.faults.set("stuckNextCreates", { count: 1 }),
    capacity: (stack) => stack.emulator.faults.set("capacityNextCreates", { count: 1 }),
  },
  capacityMessage: /Not enough available GPUs on node/,
  failedMachineRemains: true,
  importUnreported: ["sshKeyId"],
  keyImportUnreported: ["publicKey"],
  runningStatus: /^running$/,
  renameInPlace: true,
  setTimeScale: (stack, n) => stack.emulator.setTimeScale(n),
  fastTimeScale: 600,
  deleteOutOfBand: (stack, id) => void stack.emulator.destroyVmOutOfBand(id),
  refreshFollowsRename: true,
  renameOutOfBand: (stack, id, name) => void stack.emulator.relabelVmOutOfBand(id, name),
};
