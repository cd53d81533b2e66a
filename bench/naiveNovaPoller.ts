import { NaiveStatusPoller, type MachineState } from "./naiveStatusPoller";

// The naive Nova client (see naiveStatusPoller.ts): POST /vms with the node given (no /search) and
// no label (Nova's create has no name; a naive client does not set one), then GET /vms/{id} on the
// fixed 1 s doubling to 10 s schedule until the VM runs with an IP.

export interface NaiveNovaOptions {
  url: string;
  apiKey: string;
  node: string;
  gpuType: string;
  sshKeyId: string;
}

export function naiveNovaPoller(o: NaiveNovaOptions): NaiveStatusPoller {
  return new NaiveStatusPoller({
    url: o.url,
    headers: { authorization: `Bearer ${o.apiKey}` },
    create: () => ({
      method: "POST",
      path: "/vms",
      body: { node: o.node, gpu_type: o.gpuType, gpu_count: 1, storage_gb: 100, template_vmid: 101, rental_type: "on_demand", auth_method: "ssh_key", ssh_key_id: o.sshKeyId },
    }),
    idOf: (vm) => vm?.id,
    createdAtOf: (vm) => (typeof vm?.created_at === "string" ? Date.parse(vm.created_at) : undefined),
    status: (id) => ({ method: "GET", path: `/vms/${encodeURIComponent(id)}` }),
    stateOf: (vm): MachineState => {
      if (vm?.status === "running" && vm?.ip_address) return { state: "ready" };
      if (["failed", "destroyed", "stopped", "interrupted"].includes(vm?.status)) return { state: "failed", why: `status ${vm.status}` };
      return { state: "pending" };
    },
  });
}
