/** Fluence in the emulator matrix (shared/api/fluence.md). */

import { generateKeyPairSync } from "node:crypto";
import { fluencePlanOptions, startFluenceEmulator, FLUENCE_DEFAULT_API_KEY, type FluenceEmulator } from "../../../emulator";
import { openSshPublicKeyText } from "../../../emulator/core/sshPublicKey";
import { emulatorAdapter } from "./emulatorAdapter";

const h100 = fluencePlanOptions.find((o) => o.kind === "vm" && o.gpuModel.model === "h100" && o.location === "us-east-2" && o.gpuCount === 1)!;

export const fluenceAdapter = emulatorAdapter<FluenceEmulator>({
  start: startFluenceEmulator,
  defaultApiKey: FLUENCE_DEFAULT_API_KEY,
  apiPrefix: "",
  keyStyles: [(key) => ({ "X-API-KEY": key })],
  protectedRead: "/gpu/plans/vms",
  // The GPU API answers 403 {detail}; the main API (/v1) 401 {code, error}.
  refusals: [
    { path: "/gpu/plans/vms", key: null, status: 403, body: { detail: expect.stringMatching(/X-API-KEY/) } },
    { path: "/gpu/plans/vms", key: "wrong", status: 403, body: { detail: "Invalid API key" } },
    { path: "/v1/ssh_keys", key: "wrong", status: 401, body: { code: "unauthorized", error: expect.any(String) } },
  ],
  publicReads: [],
  defaultRateLimit: null,
  rateLimitedBody: (s) => ({ detail: `Rate limit exceeded. Try again in ${s} seconds.` }),
  unavailableBody: { detail: "Internal Server Error" },
  machine: {
    create: (_emu, call, name) =>
      call("POST", "/gpu/instances/vms", {
        plan_id: h100.id,
        name,
        ssh_key: openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, "me@laptop"),
        os_image: h100.osOptions[0],
      }),
    nameAtCreate: true,
    createdStatus: 200,
    createdId: (answer) => answer.body.instance_id,
    status: async (call, id) => {
      const res = await call("GET", `/gpu/instances/vms/${id}`);
      return res.status === 404 ? "gone" : res.body.status;
    },
    provisioning: "INITIALIZED",
    ready: { seconds: 150, status: "ACTIVE" },
    delete: (call, id) => call("DELETE", `/gpu/instances/vms/${id}`),
    deletedStatus: 204,
    // Terminated at once; the instance stays listed as ENDED.
    deleted: { seconds: 0, status: "ENDED" },
    loseNextCreate: (emu, skip = 0) => emu.faults.set("loseDeployResponse", { count: 1, skip }),
    names: (emu) => emu.instances().map((i) => i.name),
  },
});
