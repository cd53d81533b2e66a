/** Novita in the emulator matrix (shared/api/novita.md). */

import { startNovitaEmulator, NOVITA_DEFAULT_API_KEY, type NovitaEmulator } from "../../../emulator";
import { emulatorAdapter } from "./emulatorAdapter";

const unauthorized = { code: 401, reason: "UNAUTHORIZED", message: expect.any(String), metadata: {} };

export const novitaAdapter = emulatorAdapter<NovitaEmulator>({
  start: startNovitaEmulator,
  defaultApiKey: NOVITA_DEFAULT_API_KEY,
  apiPrefix: "/gpu-instance/openapi/v1",
  keyStyles: [(key) => ({ authorization: `Bearer ${key}` })],
  protectedRead: "/clusters",
  refusals: [
    { path: "/clusters", key: null, status: 401, body: unauthorized },
    { path: "/clusters", key: "novita_wrong", status: 401, body: unauthorized },
  ],
  publicReads: [],
  defaultRateLimit: null,
  rateLimitedBody: (s) => ({ code: 429, reason: "RATE_LIMIT_EXCEEDED", message: `rate limit exceeded, retry after ${s}s`, metadata: {} }),
  unavailableBody: { code: 503, reason: "UNKNOWN", message: "service unavailable", metadata: {} },
  machine: {
    create: (_emu, call, name) =>
      call("POST", "/gpu/instance/create", { name, productId: "4090.16c62g", gpuNum: 1, rootfsSize: 60, imageUrl: "docker.io/x:1", kind: "gpu", ports: "8080/http, 22/tcp" }),
    nameAtCreate: true,
    createdStatus: 200,
    createdId: (answer) => answer.body.id,
    status: async (call, id) => {
      const res = await call("GET", `/gpu/instance?instanceId=${id}`);
      return res.status === 400 && res.body.reason === "RESOURCE_NOT_FOUND" ? "gone" : res.body.status;
    },
    provisioning: "toCreate",
    // toCreate 2 s, creating 8 s, pulling 60 s.
    ready: { seconds: 70, status: "running" },
    delete: (call, id) => call("POST", "/gpu/instance/delete", { instanceId: id }),
    deletedStatus: 200,
    // toRemove 2 s, removing 10 s.
    deleted: { seconds: 12, status: "removed" },
    loseNextCreate: (emu, skip = 0) => emu.faults.set("loseCreateResponse", { count: 1, skip }),
    names: (emu) => emu.instances().map((i) => i.name),
  },
});
