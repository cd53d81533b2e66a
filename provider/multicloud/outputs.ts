import { z } from "zod";
import { type CloudName, cloudNames } from "../clouds";
import { priceOutputs } from "../core/pricing";

// What multicloud:GpuVm returns beyond its inputs (stateShape.ts): the chosen offer and the tries
// before it, plus the chosen cloud's own outputs, flat. Only the outputs most clouds share are
// described here (as in sdk/multicloud.ts); the state holds all of the chosen cloud's.

const cloudName = z.enum(cloudNames as [CloudName, ...CloudName[]]);

export const gpuVmOutputs = z.object({
  cloud: cloudName.describe("The cloud the VM is on."),
  chosenOffer: z
    .object({
      index: z.number().int().describe("Position in the tried list: the listed offers first, then the policy's."),
      cloud: cloudName,
      source: z.enum(["offers", "policy"]),
      description: z.string(),
      inputs: z.record(z.string(), z.unknown()).describe("What the chosen cloud's GpuVm was created with, except name and deadlines."),
      pricePerHour: z.number().optional(),
        })
    .meta({ secret: true })
    .describe("The offer that got the VM. Secret: its inputs may hold a password."),
  attempts: z
    .array(z.object({ index: z.number().int(), cloud: cloudName, offer: z.string(), outcome: z.string() }))
    .describe("Offers tried before it, each with its cloud's out-of-capacity answer."),
  status: z.string().describe("The chosen cloud's status of the VM."),
  ip: z.string().optional(),
  sshCommand: z.string().optional().describe("Novita."),
  sshConnection: z.string().optional().describe("Fluence."),
  sshPassword: z.string().optional().meta({ secret: true }).describe("Novita. Secret."),
  password: z.string().optional().meta({ secret: true }).describe("Nova, authMethod `password`. Secret."),
  imageAuth: z.string().optional().meta({ secret: true }).describe("Novita registry credentials. Secret."),
  webTerminalPassword: z.string().optional().meta({ secret: true }).describe("Novita. Secret."),
  createdAt: z.string().optional(),
  pricePerHourUsd: z.number().optional().describe("Novita. Deprecated: use `pricePerHour`."),
  hourlyRate: z.number().optional().describe("Nova, USD. Deprecated: use `pricePerHour`."),
  location: z.string().optional().describe("Fluence."),
  node: z.string().optional().describe("Nova."),
  datacenterId: z.string().optional().describe("GPCN."),
  clusterId: z.string().optional().describe("Novita."),
  planId: z.string().optional().describe("Fluence."),
  ...priceOutputs,
});

/** `multicloud:getOffers` (provider/offers/catalogue.ts OfferCatalogue). */
export const offerCatalogue = z.object({
  offers: z
    .array(
      z.object({
        cloud: cloudName,
        gpu: z.string().describe("Canonical GPU name."),
        gpuMemoryGb: z.number().optional(),
        gpuCount: z.number(),
        location: z.string().describe("Where, in the cloud's words: datacenter code, node, cluster or location."),
        pricePerHour: z.number().optional().describe("For all GPUs of the offer; absent when the cloud publishes no price (GPCN)."),
        currency: z.string().optional(),
        osImages: z.array(z.string()).optional(),
        inputs: z.record(z.string(), z.unknown()).describe("Exactly the inputs that cloud's GpuVm needs for this offer."),
      }),
    )
    .describe("Cheapest first; offers without a published price last."),
  failures: z.array(z.object({ cloud: z.string(), kind: z.string(), message: z.string() })).describe("Clouds that were read but failed."),
  skipped: z.array(z.object({ cloud: z.string(), reason: z.string() })).describe("Clouds not read because no API key is configured."),
});
