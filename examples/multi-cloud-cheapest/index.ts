import * as pulumi from "@pulumi/pulumi";
import { fluence, getOffers, gpcn, multicloud } from "pulumi-gpucloud";

const config = new pulumi.Config();
// Your OpenSSH public key: registered where the cloud keeps a key library, passed raw elsewhere.
const publicKey = config.require("publicKey");
// Optional ceiling; GPCN publishes no prices, so setting one leaves GPCN out.
const maxPricePerHour = config.getNumber("maxPricePerHour");

const gpcnKey = new gpcn.SshKey("gpcn-key", { name: "multi-cloud", publicKey });
const fluenceKey = new fluence.SshKey("fluence-key", { name: "multi-cloud", publicKey });

// Read at create only: later price moves or a changed policy never move or replace the VM.
const vm = new multicloud.GpuVm("trainer", {
  policy: {
    gpu: "H100",
    gpuCount: 1,
    maxPricePerHour,
    extras: {
      gpcn: { sshKeyId: gpcnKey.id, imageName: "ubuntu-24.04" },
      novita: { rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" },
      fluence: { osImage: "Ubuntu Server 22.04", sshPublicKey: fluenceKey.publicKey },
    },
  },
});

// What the market looks like now (this lookup runs on every preview; the VM above does not move).
export const offersNow = getOffers({ gpu: "H100", gpuCount: 1, maxPricePerHour }).then(({ offers }) =>
  offers.map((o) => `${o.cloud} ${o.location}: ${o.pricePerHour === undefined ? "price not published" : `${o.pricePerHour} ${o.currency ?? "USD"}/h`}`),
);
export const cloud = vm.cloud;
export const chosen = pulumi.unsecret(
  vm.chosenOffer.apply((o) => (o ? `${o.description}${o.pricePerHour === undefined ? "" : ` at ${o.pricePerHour}/h`}` : "chosen at create")),
);
export const triedFirst = vm.attempts;
export const status = vm.status;
export const ip = vm.ip;
