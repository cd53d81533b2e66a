import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { fluence } from "pulumi-gpucloud";

const config = new pulumi.Config();
// Your own public key: Fluence installs raw OpenSSH key text at deploy (it never generates one).
const publicKey = config.get("publicKey") ?? fs.readFileSync(path.join(os.homedir(), ".ssh", "id_ed25519.pub"), "utf8").trim();

// Registered in the account key library (so the console knows it too); an identical key already
// there is adopted instead of failing.
const key = new fluence.SshKey("laptop", { publicKey });

// A selection: the cheapest H100 ×1 VM offered at create time. Pin `planId` instead (from
// fluence.getPlans()) to control exactly which offer is rented.
const vm = new fluence.GpuVm("trainer", {
  name: config.get("vmName") ?? "trainer",
  gpuModel: config.get("gpuModel") ?? "h100",
  gpuCount: config.getNumber("gpuCount") ?? 1,
  maxPricePerHour: config.getNumber("maxPricePerHour") ?? 3,
  // Must be one of the chosen option's OS images; checked before anything is deployed.
  osImage: config.get("osImage") ?? "Ubuntu Server 22.04",
  sshPublicKey: key.publicKey,
  createTimeoutSeconds: 900,
});

export const instanceId = vm.id;
export const status = vm.status;
export const sshCommand = vm.sshConnection;
export const pricePerHour = vm.pricePerHour;
export const location = vm.location;
