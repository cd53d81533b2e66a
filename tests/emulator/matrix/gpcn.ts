/** GPCN in the emulator matrix (shared/api/gpcn.md). */

import { startGpcnEmulator, GPCN_DEFAULT_API_KEY, type GpcnEmulator } from "../../../emulator";
import { createVmBody } from "../gpcnTestClient";
import { emulatorAdapter } from "./emulatorAdapter";

const unauthorized = { success: false, message: expect.any(String), error: { code: "Unauthorized", statusCode: 401, details: null } };

export const gpcnAdapter = emulatorAdapter<GpcnEmulator>({
  start: startGpcnEmulator,
  defaultApiKey: GPCN_DEFAULT_API_KEY,
  apiPrefix: "/v1",
  keyStyles: [(key) => ({ "X-API-Key": key }), (key) => ({ Authorization: `Bearer ${key}` })],
  protectedRead: "/resource/gpu",
  refusals: [
    { path: "/resource/gpu", key: null, status: 401, body: unauthorized },
    { path: "/resource/gpu", key: "gpcn_wrong", status: 401, body: unauthorized },
  ],
  publicReads: [],
  defaultRateLimit: { limit: 100, windowMs: 60_000 },
  rateLimitedBody: (s) => ({ success: false, error: { code: "Rate Limited", message: expect.stringContaining(String(s)), retryAfter: s } }),
  unavailableBody: { success: false, error: { statusCode: 503 } },
  machine: {
    create: async (emu, call, name) => call("POST", "/resource/gpu", await createVmBody(emu, name)),
    nameAtCreate: true,
    createdStatus: 202,
    createdId: (answer) => answer.body.data.jobs[0].resourceId,
    status: async (call, id) => {
      const res = await call("GET", `/resource/gpu/${id}`);
      return res.status === 404 ? "gone" : res.body.data.status;
    },
    provisioning: "Provisioning",
    ready: { seconds: 180, status: "Running" },
    delete: (call, id) => call("DELETE", `/resource/gpu/${id}`),
    deletedStatus: 202,
    deleted: { seconds: 20, status: "gone" },
    loseNextCreate: (emu, skip = 0) => emu.faults.set("loseCreateResponse", { count: 1, skip }),
    names: (emu) => emu.vms().map((vm) => vm.name),
  },
});
