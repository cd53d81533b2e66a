import { normalizers, ResourceRules } from "../core/diffRules";

// What each input change does to a GPCN VM or SSH key. `diff`, `update` and the README table are all read from here.

/** The calls `update` makes (the rules' `call`): GPCN changes everything in place with one PUT. */
export type GpcnCall = "updateVm" | "power";

const PUT = "PUT /resource/gpu/{id}";

export const gpuVmRules: ResourceRules<GpcnCall> = {
  type: "gpcn:GpuVm",
  fields: {
    name: { change: "inPlace", via: PUT, call: "updateVm" },
    resourceGroupId: { change: "inPlace", via: PUT, call: "updateVm", cloudDefault: true },
    username: { change: "inPlace", via: PUT, call: "updateVm", cloudDefault: true, doc: "default: the image's user" },
    datacenterId: { change: "replace", why: "a GPCN VM cannot move between datacenters" },
    seriesId: { change: "replace", why: "GPCN cannot change a VM's GPU series", normalize: normalizers.lowerCase, cloudDefault: true },
    seriesCode: { change: "replace", why: "GPCN cannot change a VM's GPU series", normalize: normalizers.lowerCase, cloudDefault: true, doc: "resolved to seriesId through the inventory" },
    gpuCount: { change: "replace", why: "GPCN cannot resize a VM", normalize: normalizers.number },
    skuCode: { change: "replace", why: "the SKU is fixed at create", cloudDefault: true, doc: "GPCN picks the cheapest SKU when none is given" },
    imageName: { change: "replace", why: "the OS image is installed at create" },
    sshKeyId: { change: "replace", why: "the key is installed in the VM at create; GPCN's PUT only relinks the record" },
    powerState: {
      change: "inPlace",
      via: "POST /resource/gpu/{id}/stop or /start",
      call: "power",
      cloudDefault: true,
      doc: "`running` or `stopped`, through the older guide's single-VM routes; a start GPCN cannot make (501) is an error and the VM stays stopped",
    },
    createTimeoutSeconds: { change: "stateOnly" },
    deleteTimeoutSeconds: { change: "stateOnly" },
  },
};

export const sshKeyRules: ResourceRules = {
  type: "gpcn:SshKey",
  fields: {
    name: { change: "inPlace", via: "PUT /resource/ssh-keys/{id}", call: "updateSshKey" },
    publicKey: { change: "replace", why: "key material cannot change", normalize: normalizers.sshPublicKey, cloudDefault: true, doc: "upload mode" },
    algorithm: { change: "replace", why: "key material cannot change", cloudDefault: true, doc: "generate mode: GPCN creates the pair" },
    passphrase: { change: "replace", why: "the private key is encrypted with it at generation" },
  },
};
