import * as pulumi from "@pulumi/pulumi";
import { gpcn } from "pulumi-gpucloud";

// Everything here is safe to commit: the stack's config (Pulumi.<stack>.yaml) holds only
// non-secret values. The GPCN API key reaches the program as the GPCN_API_KEY environment
// variable, which CI fills from a repository secret.
const config = new pulumi.Config();
const datacenterId = config.require("datacenterId");
const publicKey = config.require("publicKey"); // your team's public key; never a private key

const key = new gpcn.SshKey("ci-key", { name: "gitops-ci", publicKey });

const vm = new gpcn.GpuVm("inference", {
  name: config.get("vmName") ?? "inference",
  datacenterId,
  seriesCode: config.get("seriesCode") ?? "h100_series",
  gpuCount: (config.getNumber("gpuCount") ?? 1) as 1 | 2 | 4 | 8,
  sshKeyId: key.id,
  imageName: "ubuntu-24.04",
  // CI jobs have time limits too: the provider gives up (and records the VM) after this.
  createTimeoutSeconds: 1800,
});

export const vmId = vm.id;
export const status = vm.status;
export const sshCommand = pulumi.interpolate`ssh ${vm.username}@${vm.ip}`;
