import { compact } from "../core/compact";
import type { CapacityAttempt } from "../core/capacitySummary";
import type { Candidate } from "./candidates";
import type { MulticloudInputs } from "./inputs";

// State of a multicloud:GpuVm = the chosen cloud's GpuVm outputs, flat (status, ip, …), plus the
// keys below. The chosen cloud's handler is always given its own part back, never ours.

export interface ChosenOffer {
  /** Position in the tried list: the listed offers first, then the policy's. */
  index: number;
  cloud: string;
  source: "offers" | "policy";
  description: string;
  /** What the chosen cloud's GpuVm was created with, except name and deadlines. */
  inputs: Record<string, unknown>;
  pricePerHour?: number;
  currency?: string;
}

export interface Attempt extends CapacityAttempt {
  index: number;
}

const OWN_OUTPUTS = ["offers", "policy", "maxPricePerHour", "cloud", "chosenOffer", "attempts", "adoptId", "__provider"];

export function chosenOfferOf(c: Candidate, index: number): ChosenOffer {
  return compact({ index, cloud: c.cloud, source: c.source, description: c.description, inputs: c.inputs, pricePerHour: c.pricePerHour, currency: c.currency });
}

export function outputsOf(inputs: Partial<MulticloudInputs>, chosen: ChosenOffer, attempts: Attempt[], cloudOuts: Record<string, unknown>): Record<string, unknown> {
  return compact({
    ...cloudPropsOf(cloudOuts),
    name: inputs.name,
    offers: inputs.offers,
    policy: inputs.policy,
    maxPricePerHour: inputs.maxPricePerHour,
    createTimeoutSeconds: inputs.createTimeoutSeconds,
    deleteTimeoutSeconds: inputs.deleteTimeoutSeconds,
    adoptId: inputs.adoptId,
    cloud: chosen.cloud,
    chosenOffer: chosen,
    attempts,
  });
}

/** The chosen cloud's own outputs, as its handler stored them. */
export function cloudPropsOf(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !OWN_OUTPUTS.includes(k)));
}

/** Our declared inputs from state (for read's `inputs`). */
export function declaredOf(props: Record<string, unknown>): Record<string, unknown> {
  return compact({
    name: props.name,
    offers: props.offers,
    policy: props.policy,
    maxPricePerHour: props.maxPricePerHour,
    createTimeoutSeconds: props.createTimeoutSeconds,
    deleteTimeoutSeconds: props.deleteTimeoutSeconds,
    adoptId: props.adoptId,
  });
}
