/** GET /gpu/plans/vms and /gpu/plans/baremetal: no query parameters, no pagination (doc-old). */

import type { Router } from "../../core/router";
import { planGroups } from "../planGroups";
import type { FluenceState } from "../state";

export function registerPlanRoutes(router: Router, state: FluenceState): void {
  router.get("/gpu/plans/vms", () => ({ status: 200, body: { data: planGroups(state.options, "vm") } }));
  router.get("/gpu/plans/baremetal", () => ({ status: 200, body: { data: planGroups(state.options, "baremetal") } }));
}
