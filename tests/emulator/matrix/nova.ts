/** Nova Cloud in the emulator matrix (shared/api/nova.md). */

import { startNovaEmulator, NOVA_DEFAULT_API_KEY, type NovaEmulator } from "../../../emulator";
import { emulatorAdapter } from "./emulatorAdapter";

export const novaAdapter = emulatorAdapter<NovaEmulator>({
  start: startNovaEmulator,
  defaultApiKey: NOVA_DEFAULT_API_KEY,
  apiPrefix: "",
  keyStyles: [(key) => ({ Authorization: `Bearer ${key}` })],
  protectedRead: "/vms",
  refusals: [
    { path: "/vms", key: null, status: 401, body: { detail: "Not authenticated" } },
    { path: "/vms", key: "nv_wrong", status: 401, body: { detail: "Invalid or expired token" } },
  ],
  // The catalog and prices are public (nova.md §1).
  publicReads: ["/search", "/pricing"],
  defaultRateLimit: { limit: 60, windowMs: 60_000 },
  rateLimitedBody: (s) => ({ detail: `Rate limit exceeded. Try again in ${s} seconds.` }),
  unavailableBody: { detail: "Service Unavailable" },
  machine: {
    // Password auth: the VM needs no uploaded key.
    create: (_emu, call) =>
      call("POST", "/vms", { node: "vm01", gpu_type: "4090", gpu_count: 1, storage_gb: 100, template_vmid: 101, auth_method: "password", password: "a-long-password" }),
    nameAtCreate: false,
    createdStatus: 201,
    createdId: (answer) => answer.body.id,
    status: async (call, id) => {
      const res = await call("GET", `/vms/${id}`);
      return res.status === 404 ? "gone" : res.body.status;
    },
    provisioning: "creating",
    ready: { seconds: 90, status: "running" },
    delete: (call, id) => call("DELETE", `/vms/${id}`),
    deletedStatus: 200,
    deleted: { seconds: 15, status: "destroyed" },
    loseNextCreate: (emu, skip = 0) => emu.faults.set("loseCreateResponse", { count: 1, skip }),
    names: (emu) => emu.vms().map((vm) => vm.instance_label),
  },
});
