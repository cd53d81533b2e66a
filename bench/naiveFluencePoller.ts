import { NaiveStatusPoller, type MachineState } from "./naiveStatusPoller";

// The naive Fluence client (see naiveStatusPoller.ts): POST /gpu/instances/vms with the plan
// option given (no /gpu/plans look-up), then GET /gpu/instances/vms/{id} on the fixed 1 s doubling
// to 10 s schedule until the instance is ACTIVE.

export interface NaiveFluenceOptions {
  url: string;
  apiKey: string;
  planId: string;
  osImage: string;
  publicKey: string;
}

export function naiveFluencePoller(o: NaiveFluenceOptions): NaiveStatusPoller {
  return new NaiveStatusPoller({
    url: o.url,
    headers: { "x-api-key": o.apiKey },
    create: (name) => ({ method: "POST", path: "/gpu/instances/vms", body: { plan_id: o.planId, name, ssh_key: o.publicKey, os_image: o.osImage } }),
    idOf: (answer) => answer?.instance_id,
    status: (id) => ({ method: "GET", path: `/gpu/instances/vms/${encodeURIComponent(id)}` }),
    stateOf: (i): MachineState => {
      if (i?.status === "ACTIVE") return { state: "ready" };
      if (i?.status === "FAILED" || i?.status === "ENDED") return { state: "failed", why: `status ${i.status}` };
      return { state: "pending" };
    },
  });
}
