import { normalizers, ResourceRules } from "../core/diffRules";

// What each input change does to a Fluence instance or SSH key. `diff`, `update` and the README table are all read from here.

/** The calls `update` makes (the rules' `call`): Fluence can only rename. */
export type FluenceCall = "rename";

// {kind} is the path segment: vms or baremetal.
const PUT = "PUT /gpu/instances/{kind}/{id}";

export const gpuVmRules: ResourceRules<FluenceCall> = {
  type: "fluence:GpuVm",
  fields: {
    name: { change: "inPlace", via: PUT, call: "rename" },
    kind: { change: "replace", why: "VMs and bare metal are separate products on Fluence" },
    planId: { change: "replace", why: "Fluence cannot move an instance to another offer", cloudDefault: true, doc: "resolved from the selection at create" },
    gpuModel: { change: "replace", why: "Fluence cannot change an instance's GPUs", normalize: normalizers.lowerCase, cloudDefault: true },
    gpuCount: { change: "replace", why: "Fluence cannot resize an instance", normalize: normalizers.number, cloudDefault: true },
    location: { change: "replace", why: "an instance cannot move", normalize: normalizers.lowerCase, cloudDefault: true },
    maxPricePerHour: { change: "stateOnly", doc: "chooses an option at create, and the budget guard: check refuses an option that costs more" },
    osImage: { change: "replace", why: "the OS is installed at deploy" },
    sshPublicKey: { change: "replace", why: "the key is installed at deploy", normalize: normalizers.sshPublicKey },
    powerState: { change: "stateOnly", doc: "only `running`: Fluence cannot stop an instance" },
    createTimeoutSeconds: { change: "stateOnly" },
    deleteTimeoutSeconds: { change: "stateOnly" },
  },
};

export const sshKeyRules: ResourceRules = {
  type: "fluence:SshKey",
  fields: {
    name: { change: "replace", why: "Fluence's key library has no rename" },
    publicKey: { change: "replace", why: "key material cannot change", normalize: normalizers.sshPublicKey },
  },
};
