import { generateKeyPairSync } from "crypto";
import { gpcnDatacenters, gpcnGpuSeries, type GpcnEmulator } from "../../emulator";
import type { CloudStack } from "../harness/cloudStack";
import { openSshPublicKeyText } from "../../emulator/core/sshPublicKey";
import { startGpcnStack } from "../gpcn/gpcnStack";
import { MISSING, type CloudUnderTest } from "./cloudsUnderTest";

type Stack = CloudStack<GpcnEmulator>;

export const gpcnUnderTest: CloudUnderTest<GpcnEmulator> = {
  cloud: "gpcn",
  badInputs: [
    { resource: "vm", field: "name", value: "" },
    { resource: "vm", field: "name", value: 42 },
    { resource: "vm", field: "datacenterId", value: MISSING },
    { resource: "vm", field: "seriesCode", value: "" },
    { resource: "vm", field: "seriesId", value: "s-1", property: "seriesCode" },
    { resource: "vm", field: "seriesCode", value: MISSING, property: "seriesCode" },
    { resource: "vm", field: "gpuCount", value: 3 },
    { resource: "vm", field: "gpuCount", value: "1" },
    { resource: "vm", field: "sshKeyId", value: MISSING },
    { resource: "vm", field: "skuCode", value: "" },
    { resource: "vm", field: "imageName", value: "debian-12" },
    { resource: "vm", field: "resourceGroupId", value: "" },
    { resource: "vm", field: "username", value: "1abc" },
    { resource: "vm", field: "username", value: "ab" },
    { resource: "vm", field: "createTimeoutSeconds", value: 0 },
    { resource: "vm", field: "deleteTimeoutSeconds", value: 1.5 },
    { resource: "vm", field: "maxPricePerHour", value: -1 },
    { resource: "vm", field: "maxPricePerHour", value: 0 },
    { resource: "vm", field: "powerState", value: "paused" },
    { resource: "vm", field: "adoptId", value: "" },
    { resource: "key", field: "name", value: "x".repeat(31) },
    { resource: "key", field: "publicKey", value: "not a key", with: { algorithm: MISSING } },
    { resource: "key", field: "algorithm", value: "dsa" },
    { resource: "key", field: "algorithm", value: MISSING, property: "publicKey" },
    { resource: "key", field: "publicKey", value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB", property: "algorithm" },
    { resource: "key", field: "passphrase", value: "" },
    { resource: "key", field: "passphrase", value: "pw", with: { algorithm: MISSING, publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB" } },
    { resource: "key", field: "adoptId", value: "" },
  ],
  startStack: (door) => startGpcnStack({ door }),
  vmResource: "vm",
  fleetInputs: {},
  vmType: "gpcn:GpuVm",
  async replaceCases(stack: Stack) {
    const otherKey = await stack.host.create(stack.urnOf("key"), { ...stack.byName("key").inputs, name: "replace-key" });
    const series = (code: string) => gpcnGpuSeries.find((s) => s.code === code)!.id;
    return {
      datacenterId: { to: { datacenterId: gpcnDatacenters.find((d) => d.code === "ASH-1")!.id } },
      seriesId: { from: { seriesCode: MISSING, seriesId: series("h100_series") }, to: { seriesId: series("a100_series") } },
      seriesCode: { to: { seriesCode: "a100_series" } },
      gpuCount: { to: { gpuCount: 2 } },
      skuCode: { from: { skuCode: "h100-pcie-80gb-1x" }, to: { skuCode: "h100-sxm-80gb-1x" } },
      imageName: { to: { imageName: "ubuntu-22.04" } },
      sshKeyId: { to: { sshKeyId: otherKey.id } },
    };
  },
  sshKey: {
    type: "gpcn:SshKey",
    resource: "key",
    replaceCases() {
      const material = () => openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, "replace-test");
      return {
        publicKey: { from: { algorithm: MISSING, publicKey: material() }, to: { publicKey: material() } },
        algorithm: { to: { algorithm: "ecdsa-p256" } },
        // The emulator, like GPCN's docs, encrypts only rsa and ecdsa private keys with a passphrase.
        passphrase: { from: { algorithm: "ecdsa-p256", passphrase: "first-passphrase" }, to: { passphrase: "second-passphrase" } },
      };
    },
    keys: (stack) => stack.emulator.sshKeys().map((k) => k.id),
  },
  async prepare(stack: Stack) {
    const key = await stack.host.create(stack.urnOf("key"), stack.byName("key").inputs);
    return { sshKeyId: key.id };
  },
  machines: (stack) => stack.emulator.vms().filter((v) => !/^delet/i.test(v.status)).map((v) => ({ id: v.id, name: v.name, status: v.status })),
  requests: (stack) => stack.emulator.requests().map((r) => ({ method: r.method, path: r.path, status: r.status, at: Date.parse(r.at) })),
  machinePath: "/v1/resource/gpu",
  createRoute: "POST /v1/resource/gpu",
  faults: {
    clear: (stack) => stack.emulator.faults.clear(),
    rateLimitBurst: (stack, count, retryAfterSec) => stack.emulator.faults.set("rateLimitBurst", { count, retryAfterSec, pathPrefix: "/v1/resource/gpu" }),
    serverErrorsOnReads: (stack, count) => stack.emulator.faults.set("serverErrorBurst", { count, status: 502, html: true, method: "GET" }),
    resetsOnReads: (stack, count) => stack.emulator.faults.set("connectionResetBurst", { count, method: "GET" }),
    loseCreateResponse: (stack, skip = 0) => stack.emulator.faults.set("loseCreateResponse", { count: 1, skip }),
    failProvisioning: (stack, message) => {
      stack.emulator.faults.set("failNextJobs", { count: 1, message });
      return new RegExp(message);
    },
    stickProvisioning: (stack) => stack.emulator.faults.set("stuckNextJobs", { count: 1 }),
    capacity: (stack) => stack.emulator.faults.set("capacityNextCreates", { count: 1 }),
  },
  capacityMessage: /Inventory depleted/,
  failedMachineRemains: true,
  importUnreported: [],
  runningStatus: /^Running$/,
  renameInPlace: true,
  setTimeScale: (stack, n) => stack.emulator.setTimeScale(n),
  fastTimeScale: 600,
  deleteOutOfBand: (stack, id) => void stack.emulator.deleteVmOutOfBand(id),
  refreshFollowsRename: true,
  renameOutOfBand: (stack, id, name) => void stack.emulator.renameVmOutOfBand(id, name),
};
