import * as pulumi from "@pulumi/pulumi";
import { nova } from "pulumi-gpucloud";

const config = new pulumi.Config();
const gpuCount = (config.getNumber("gpuCount") ?? 1) as 1 | 2 | 4 | 8;

// Nova keeps at most 5 keys per account and returns no public key text: upload your own.
const key = new nova.SshKey("laptop", { publicKey: config.require("publicKey") });

const vm = new nova.GpuVm("trainer", {
  name: config.get("vmName") ?? "trainer",
  gpuType: config.get("gpuType") ?? "4090",
  gpuCount,
  storageGb: 100,
  templateVmid: "ubuntu-24.04", // template 101
  // No `node`: the cheapest available /search offer for this GPU type and count is chosen at
  // create, then pinned in state (a later, cheaper node does not replace the VM).
  sshKeyId: key.id,
  createTimeoutSeconds: 1800,
});

export const vmId = vm.id;
export const node = vm.node;
export const status = vm.status;
export const hourlyRate = vm.hourlyRate;
export const sshCommand = pulumi.interpolate`ssh ubuntu@${vm.ip}`;
// Before deploying: what Nova offers now (no API key needed).
export const offersNow = nova.getOffers().then((offers) => offers.filter((o) => o.available).length);
