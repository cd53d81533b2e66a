import * as pulumi from "@pulumi/pulumi";
import { novita } from "pulumi-gpucloud";

const config = new pulumi.Config();
// Pin the product in config (look it up once with novita.getCheapestProduct()): choosing on every
// run could pick another product later, and a product change replaces the instance.
const productId = config.get("productId");

const vm = new novita.GpuVm("trainer", {
  name: "trainer", // Novita cannot rename: changing this replaces the instance
  ...(productId ? { productId } : { productName: "RTX 4090" }),
  gpuCount: config.getNumber("gpuCount") ?? 1,
  rootfsSize: config.getNumber("rootfsSize") ?? 60, // growing it is in place; shrinking replaces
  imageUrl: config.get("imageUrl") ?? "docker.io/pytorch/pytorch:latest", // a change resets the instance
  ports: [{ port: 8888, type: "http" }], // changed in place, no restart
  envs: [{ key: "MODE", value: "train" }],
  createTimeoutSeconds: 1800,
});

// Novita has no SSH-key API (no novita.SshKey): log in with the command and the secret password.
export const instanceId = vm.id;
export const status = vm.status;
export const sshCommand = vm.sshCommand;
export const sshPassword = vm.sshPassword; // secret
export const pricePerHourUsd = vm.pricePerHourUsd;
