import * as pulumi from "@pulumi/pulumi";
import { gpcn } from "pulumi-gpucloud";

const config = new pulumi.Config();
// Pin the datacenter in config (look it up once with gpcn.getInventory()): resolving it on every
// run could pick another one later, and a datacenter change replaces the VM.
const datacenterId = config.require("datacenterId");
const gpuCount = (config.getNumber("gpuCount") ?? 1) as 1 | 2 | 4 | 8;

// GPCN generates the pair; the private key is a secret output, returned once.
const key = new gpcn.SshKey("quickstart-key", { algorithm: "ed25519" });

const vm = new gpcn.GpuVm("trainer", {
  name: config.get("vmName") ?? "trainer",
  datacenterId,
  seriesCode: "h100_series",
  gpuCount,
  sshKeyId: key.id,
  imageName: "ubuntu-24.04",
  createTimeoutSeconds: 1800,
});

export const vmId = vm.id;
export const status = vm.status;
export const sshCommand = pulumi.interpolate`ssh ${vm.username}@${vm.ip}`;
export const privateKey = key.privateKey; // secret
