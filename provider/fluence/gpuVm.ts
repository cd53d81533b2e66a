import { systemClock } from "../core/clock";
import { createOnce } from "../core/createOnce";
import { adoptionMismatchError } from "../core/adoption";
import { GpuCloudError, isKind, QuotaError } from "../core/errors";
import { afterCreate, PartialCreateError } from "../core/partialCreate";
import { logProgress, waitProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { createForecast } from "../core/provisioningTimes";
import { waitUntil, WaiterFailureError, WaiterTimeoutError } from "../core/waiter";
import { adoptionMismatches, findOwnMachines, instanceToAdopt } from "./adoption";
import { fluenceClientFor, fluenceCloud, FluenceKind } from "./client";
import { crossCheckGpuVm, GpuVmInputs, gpuVmInputs } from "./inputs";
import { instancePhase, isGone } from "./observations";
import { gpuVmOutputsOf } from "./outputs";
import { ChosenOption, checkOsImage, cheapestOption, describeOption, findOption, optionById } from "./planSelection";
import { createBody } from "./requests";
import { gpuVmRules } from "./rules";
import { FluenceInstance } from "./schemas";
import { priceOf } from "./pricing";
import { FLUENCE_TYPICAL, JUST_DEPLOYED, waitUntilRunning } from "./waits";

const TYPE = "fluence:GpuVm";

/** Fluence's balance error says less than the user needs: deploying reserves hours of the price. */
function explainBalance(err: unknown, chosen: ChosenOption): unknown {
  if (!(err instanceof QuotaError)) return err;
  const { pricePerHour, upfrontHours, currency } = chosen.option;
  const total = pricePerHour === undefined ? "" : ` = ${+(pricePerHour * upfrontHours).toFixed(4)} ${currency}`;
  return new QuotaError(
    `${err.message}. Deploying on Fluence needs ${upfrontHours} hours of the plan's price on the balance ` +
      `(${upfrontHours} × ${pricePerHour ?? "?"} ${currency}/h${total} for option ${chosen.option.id}); top up the balance or choose a cheaper option`,
    { cloud: err.cloud, status: err.status, code: err.code, requestId: err.requestId, issues: err.issues },
  );
}

/** FAILED (refunded) or ENDED while provisioning: nothing bills and nothing is left to delete. */
function provisioningFailed(what: string, id: string, err: WaiterFailureError): GpuCloudError {
  return new GpuCloudError(
    `${what}: Fluence instance ${id} did not start: ${err.reason}. Fluence refunds a failed deployment and a FAILED or ENDED ` +
      `instance cannot run again, so it was not recorded in the stack; run \`pulumi up\` to deploy a new one. Observed: ${err.summary}`,
    { cloud: "fluence", code: "FAILED" },
  );
}

async function create(ctx: CallContext, inputs: GpuVmInputs) {
  const client = fluenceClientFor(ctx.settings);
  const started = Date.now();
  const what = `${TYPE} "${inputs.name}"`;
  let chosen: ChosenOption | undefined;
  const { result: id, adopted } = await createOnce({
    what,
    cloud: fluenceCloud,
    scope: ctx.adoption,
    serializeKey: `${TYPE}|${ctx.settings.endpoint}|${inputs.name}`,
    findCandidates: (fresh) => findOwnMachines(client, inputs, fresh),
    idOf: (newId) => newId,
    send: async () => {
      // Plans are read right before each deploy: options vanish as they are rented. Deploys
      // asking at the same moment share one read (never a cached one).
      const groups = await client.sharedPlans(inputs.kind);
      const option = inputs.planId
        ? optionById(groups, inputs.planId)
        : cheapestOption(groups, { gpuModel: inputs.gpuModel!, gpuCount: inputs.gpuCount!, location: inputs.location, maxPricePerHour: inputs.maxPricePerHour });
      checkOsImage(option, inputs.osImage);
      chosen = option;
      if (!inputs.planId) logProgress("info", `${what}: deploying option ${option.option.id} (${describeOption(option)}, ${option.option.provider ?? "?"}), the cheapest match`);
            try {
        return await client.deploy(inputs.kind, createBody(inputs, option.option.id));
      } catch (err) {
        throw explainBalance(err, option);
      }
    },
  });
  // Fluence gives no completion estimate; provisioning "typically takes 2–3 minutes" (fluence.md
  // §6, documented) is the window until instances of this option have been seen finishing.
  const forecast = adopted
    ? undefined
    : createForecast("fluence", ctx.settings.endpoint, `${inputs.kind}|${chosen?.option.id ?? inputs.planId ?? `${inputs.gpuModel}x${inputs.gpuCount}`}`, Date.now(), FLUENCE_TYPICAL);
  // From here on the instance exists and may bill: every failure but FAILED/ENDED carries its id.
  const outcome = await afterCreate({
    what,
    id,
    work: async () => {
      try {
        const instance = await waitUntilRunning(client, inputs.kind, id, inputs.name, started + inputs.createTimeoutSeconds * 1000, adopted ? undefined : JUST_DEPLOYED, forecast);
        return { instance, failed: undefined };
      } catch (err) {
        if (err instanceof WaiterFailureError && err.lastValue && isGone(err.lastValue as FluenceInstance)) return { instance: undefined, failed: err };
        throw err;
      }
    },
    properties: async () => ({ ...inputs, ...gpuVmOutputsOf(inputs, await client.getInstance(inputs.kind, id).catch(() => undefined), chosen) }),
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
  if (outcome.failed) throw provisioningFailed(what, id, outcome.failed);
  return { id, outs: gpuVmOutputsOf(inputs, outcome.instance, chosen) };
}

const kindOf = (props: Record<string, unknown>): FluenceKind => (props.kind === "baremetal" ? "baremetal" : "vm");

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const instance = await fluenceClientFor(ctx.settings).getInstance(kindOf(props), id);
  // 404, FAILED and ENDED: the instance is gone for good.
  if (!instance || isGone(instance)) return {};
  const outs = gpuVmOutputsOf(props, instance, undefined, props);
  // A rename made in the console comes back as a changed input, so the next diff renames it back.
  outs.name = instance.name;
  return { id, props: outs, inputs: declaredInputs(gpuVmInputs, outs) };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: GpuVmInputs, plan: { inPlace: Array<{ field: string }> }) {
  const client = fluenceClientFor(ctx.settings);
  if (plan.inPlace.some((c) => c.field === "name")) await client.rename(news.kind, id, news.name);
  let instance = await client.getInstance(news.kind, id);
  if (!instance || isGone(instance)) {
    throw new GpuCloudError(`Fluence instance ${id} is ${instance?.status ?? "gone"}; run \`pulumi refresh\` to drop it from the stack`, { cloud: "fluence" });
  }
  // An earlier create that did not finish (partial create) continues here.
  if (instancePhase(instance.status) === "starting") {
    try {
      instance = await waitUntilRunning(client, news.kind, id, news.name, Date.now() + news.createTimeoutSeconds * 1000);
    } catch (err) {
      const message = (err as Error).message;
      throw new PartialCreateError(`${TYPE} "${news.name}": instance ${id} is still not ACTIVE: ${message}`, id, { ...olds, ...news }, [message]);
    }
  }
  return gpuVmOutputsOf(news, instance, undefined, olds);
}

async function destroy(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const client = fluenceClientFor(ctx.settings);
  const kind = kindOf(props);
  const name = String(props.name ?? id);
  const timeoutSec = Number(props.deleteTimeoutSeconds ?? 900);
  const deadlineAt = Date.now() + timeoutSec * 1000;
  for (let refused = 0; ; ) {
    // Only the status matters here: concurrent deletes share one list call.
    const instance = await client.loadStatus(kind, id);
    if (isGone(instance)) return; // FAILED, ENDED or 404: nothing runs, nothing bills
    if (instancePhase(instance!.status) === "starting") {
      // Fluence only terminates ACTIVE instances: wait for it to come up, then terminate.
      logProgress("info", `${TYPE} "${name}": instance ${id} is ${instance!.status}; Fluence only terminates ACTIVE instances, waiting for ACTIVE`);
      try {
        await waitUntil({
          what: `Fluence instance ${id} ("${name}") to become ACTIVE so it can be terminated`,
          deadlineAt,
          minDelayMs: 1000,
          poll: async () => {
            const now = await client.loadStatus(kind, id);
            return { state: instancePhase(now?.status) === "starting" && now ? "retry" : "success", label: now?.status ?? "gone", value: now };
          },
          onProgress: waitProgress(TYPE, name, "before terminating"),
        });
      } catch (err) {
        if (err instanceof WaiterTimeoutError) {
          throw new Error(`${TYPE} "${name}": not deleted within deleteTimeoutSeconds (${timeoutSec}): ${err.message}. It stays in the stack; run \`pulumi destroy\` again once it is ACTIVE`);
        }
        throw err;
      }
      continue;
    }
    try {
      await client.terminate(kind, id);
      return;
    } catch (err) {
      // "Only ACTIVE instances can be terminated": its status changed under us; look again.
      if (!isKind(err, "conflict") || Date.now() >= deadlineAt) throw err;
      refused++;
      logProgress("info", `${TYPE} "${name}": Fluence refused to terminate ${id} (${(err as Error).message}); checking its status again`);
      await systemClock.sleep(Math.min(1000 * refused, Math.max(0, deadlineAt - Date.now())));
    }
  }
}

/** `adoptId`: take over an instance made outside Pulumi (pulumi/pulumi#16175), after checking it is what the program declares. */
async function adopt(ctx: CallContext, id: string, inputs: GpuVmInputs) {
  const client = fluenceClientFor(ctx.settings);
  const what = `${TYPE} "${inputs.name}"`;
  const instance = await instanceToAdopt(client, id, inputs.kind);
  const plan = inputs.planId ? findOption(await client.sharedPlans(inputs.kind), inputs.planId) : undefined;
  if (inputs.planId && !plan) logProgress("warn", `${what}: plan option ${inputs.planId} is no longer offered, so it cannot be compared with instance ${id}`);
  // Documented in the detail object, but older answers lacked them: say so rather than refuse.
  const unseen = [!instance.osImage && "osImage", !instance.sshKey && "sshPublicKey"].filter(Boolean);
  if (unseen.length) logProgress("warn", `${what}: Fluence does not show ${unseen.join(" or ")} of instance ${id}, so it was not verified`);
  const mismatches = adoptionMismatches(instance, inputs, plan);
  if (mismatches.length) throw adoptionMismatchError("fluence", "Fluence instance", id, mismatches);
  logProgress("info", `${what}: adopting instance ${id} (${instance.status}); it matches the program`);
  // Verified: from here on a failure records the instance (partial create), never loses it.
  const outcome = await afterCreate({
    what,
    id,
    work: async () => {
      if (instance.name !== inputs.name) {
        await client.rename(inputs.kind, id, inputs.name);
        logProgress("info", `${what}: renamed adopted instance ${id} from "${instance.name}"`);
      }
      if (instancePhase(instance.status) === "active" && (instance.sshConnection || instance.ip)) {
        return { instance, failed: undefined };
      }
      try {
        return { instance: await waitUntilRunning(client, inputs.kind, id, inputs.name, Date.now() + inputs.createTimeoutSeconds * 1000), failed: undefined };
      } catch (err) {
        if (err instanceof WaiterFailureError && err.lastValue && isGone(err.lastValue as FluenceInstance)) return { instance: undefined, failed: err };
        throw err;
      }
    },
    // A rename that did not happen is recorded as Fluence has it, so the next `up` renames.
    properties: async () => {
      const now = await client.getInstance(inputs.kind, id).catch(() => undefined);
      return { ...inputs, ...gpuVmOutputsOf(inputs, now, plan), ...(now ? { name: now.name } : {}) };
    },
    deadlineNote: (err) => (err instanceof WaiterTimeoutError ? `createTimeoutSeconds (${inputs.createTimeoutSeconds}) passed` : undefined),
  });
  if (outcome.failed) {
    // FAILED or ENDED: refunded or terminated, it never runs again and bills nothing, so it is not recorded.
    throw new GpuCloudError(
      `${what}: Fluence instance ${id} did not start while being adopted: ${outcome.failed.reason}. A FAILED or ENDED instance cannot run again, ` +
        `so it was not recorded in the stack; remove adoptId to deploy a new one. Observed: ${outcome.failed.summary}`,
      { cloud: "fluence", code: "FAILED" },
    );
  }
  return { id, outs: gpuVmOutputsOf(inputs, outcome.instance, plan) };
}

export const fluenceGpuVm = defineResource({
  type: TYPE,
  cloud: fluenceCloud,
  inputSchema: gpuVmInputs,
  rules: gpuVmRules,
  crossCheck: crossCheckGpuVm,
  create,
  read,
  update,
  delete: destroy,
  adopt,
  price: priceOf,
});
