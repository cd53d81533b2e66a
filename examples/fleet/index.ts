import * as pulumi from "@pulumi/pulumi";
import { gpcn } from "pulumi-gpucloud";

const config = new pulumi.Config();
// Pinned in config (look it up once with gpcn.getInventory()): a datacenter change replaces every VM.
const datacenterId = config.require("datacenterId");
const nodeCount = config.getNumber("nodeCount") ?? 4;
const gpusPerNode = (config.getNumber("gpusPerNode") ?? 1) as 1 | 2 | 4 | 8;
const seriesCode = config.get("seriesCode") ?? "h100_series";
const namePrefix = config.get("namePrefix") ?? "trainer";

if (!Number.isInteger(nodeCount) || nodeCount < 1) {
  throw new Error(`nodeCount must be a whole number >= 1, got ${nodeCount}`);
}

// One key for the whole cluster: your own public key if given, otherwise GPCN generates a pair
// and returns the private key once, as a secret output.
const publicKey = config.get("publicKey");
const key = new gpcn.SshKey("fleet-key", publicKey ? { name: `${namePrefix}-fleet`, publicKey } : { name: `${namePrefix}-fleet`, algorithm: "ed25519" });

// Distinct names matter: GPCN has no idempotency key, so a VM is recognised after a lost answer
// by its name plus its configuration. Growing nodeCount adds VMs; shrinking deletes the last ones.
const nodes = Array.from({ length: nodeCount }, (_, i) => {
  const name = `${namePrefix}-${i}`;
  return new gpcn.GpuVm(name, {
    name,
    datacenterId,
    seriesCode,
    gpuCount: gpusPerNode,
    sshKeyId: key.id,
    imageName: "ubuntu-24.04",
    createTimeoutSeconds: 1800,
  });
});

const sshCommandOf = (vm: gpcn.GpuVm) => pulumi.interpolate`ssh ${vm.username}@${vm.ip}`;

export const vmIds = nodes.map((vm) => vm.id);
export const sshCommands = nodes.map(sshCommandOf);
/** node name -> ssh command, e.g. for an inventory file or `pdsh`. */
export const sshCommandByNode = pulumi.all(nodes.map((vm) => pulumi.all([vm.name, sshCommandOf(vm)]))).apply((pairs) => Object.fromEntries(pairs));
export const totalGpus = nodeCount * gpusPerNode;
export const privateKey = key.privateKey; // secret; empty when you uploaded your own publicKey
