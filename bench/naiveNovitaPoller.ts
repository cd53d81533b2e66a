import { NaiveStatusPoller, type MachineState } from "./naiveStatusPoller";

// The naive Novita client (see naiveStatusPoller.ts): POST /gpu/instance/create with the product
// id given (no /products look-up), then GET /gpu/instance?instanceId= on the fixed 1 s doubling to
// 10 s schedule until the instance is running.

export interface NaiveNovitaOptions {
  url: string;
  apiKey: string;
  productId: string;
  imageUrl: string;
}

export function naiveNovitaPoller(o: NaiveNovitaOptions): NaiveStatusPoller {
  return new NaiveStatusPoller({
    url: o.url,
    headers: { authorization: `Bearer ${o.apiKey}` },
    create: (name) => ({
      method: "POST",
      path: "/gpu/instance/create",
      body: { name, productId: o.productId, gpuNum: 1, rootfsSize: 60, imageUrl: o.imageUrl, clusterId: "", kind: "gpu", billingMode: "onDemand" },
    }),
    idOf: (answer) => answer?.id,
    status: (id) => ({ method: "GET", path: `/gpu/instance?instanceId=${encodeURIComponent(id)}` }),
    stateOf: (i): MachineState => {
      if (i?.status === "running") return { state: "ready" };
      if (i?.statusError?.message) return { state: "failed", why: `${i.status}: ${i.statusError.message}` };
      if (["exited", "removed", "removing", "toRemove"].includes(i?.status)) return { state: "failed", why: `status ${i.status}` };
      return { state: "pending" };
    },
  });
}
