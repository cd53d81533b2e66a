/**
 * POST /resource/gpu/:id/start and /stop: the older developer guide's single-VM power actions
 * (gpcn.md §4, §7, doc-old; the current reference only shows bulk stop). 200 with the VM in the
 * success envelope (the guide shows no body: inferred). Start answers 501 when the knob
 * `startNotImplemented` says the upstream provider cannot start (doc-old), in the guide's error
 * shape (`error` a string code). A power action in the wrong state is a 409 (inferred).
 */

import type { RequestContext, Router } from "../../core/router";
import { failure, notFound, ok } from "../envelope";
import { powerSteps, type PowerTimings } from "../power";
import type { GpcnState } from "../state";
import { serializeVm, vmCondition } from "../vmRecord";
import { API_PREFIX } from "./apiPrefix";

const GPU = `${API_PREFIX}/resource/gpu`;

export const START_NOT_IMPLEMENTED = "Start is not implemented for this GPU VM's provider";

const target = (ctx: RequestContext) => ({ method: ctx.method, path: ctx.path });

export function registerPowerRoutes(router: Router, state: GpcnState, timings: PowerTimings): void {
  for (const action of ["start", "stop"] as const) {
    router.post(`${GPU}/:id/${action}`, (ctx) => {
      const vm = state.vm(ctx.params.id);
      if (!vm) return notFound("GPU VM");
      if (action === "start" && state.config.faults.take("startNotImplemented", target(ctx))) {
        return { status: 501, body: { success: false, error: "NOT_IMPLEMENTED", message: START_NOT_IMPLEMENTED } };
      }
      const { status } = vmCondition(vm, state.lookups);
      const from = action === "stop" ? "Running" : "Stopped";
      if (status !== from) return failure(409, `GPU VM cannot ${action} while ${status}`);
      vm.power = powerSteps(action, state.clock.emulatedNow(), timings);
      return ok(serializeVm(vm, state.lookups), action === "stop" ? "GPU VM stop initiated" : "GPU VM start initiated");
    });
  }
}
