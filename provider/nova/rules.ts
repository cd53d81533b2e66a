import { normalizers, ResourceRules } from "../core/diffRules";
import { gpuTypeKey } from "./gpuTypes";
import { templateKey } from "./templates";

// What each input change does to a Nova VM or SSH key. `diff`, `update` and the README table are all read from here.

/** The calls `update` makes (the rules' `call`): Nova changes the label and auto_restart with one PATCH. */
export type NovaCall = "updateVm" | "power";

const PATCH = "PATCH /vms/{id}";
const INFERRED_PATCH = "the route is inferred: if Nova lacks it, a rename is kept in the stack only";

export const gpuVmRules: ResourceRules<NovaCall> = {
  type: "nova:GpuVm",
  fields: {
    name: { change: "inPlace", via: `${PATCH} (instance_label)`, call: "updateVm", doc: INFERRED_PATCH },
    autoRestart: { change: "inPlace", via: `${PATCH} (auto_restart)`, call: "updateVm", cloudDefault: true, doc: "inferred route" },
    gpuType: { change: "replace", why: "Nova cannot change a VM's GPU", normalize: gpuTypeKey, doc: "aliases such as `pro6000` / `rtx 5090` are the same type" },
    gpuCount: { change: "replace", why: "Nova cannot resize a VM" },
    storageGb: { change: "replace", why: "Nova has no disk resize" },
    templateVmid: { change: "replace", why: "the template is cloned at create", normalize: templateKey, doc: "a template name and its id are the same" },
    node: { change: "replace", why: "a VM cannot move between nodes", cloudDefault: true, doc: "when not declared, the cheapest available /search offer matching gpuType and gpuCount is chosen at create" },
    rentalType: { change: "replace", why: "the rental type is fixed at create" },
    reservationMonths: { change: "replace", why: "the reservation is made at create" },
    authMethod: { change: "replace", why: "credentials are installed at create" },
    sshKeyId: { change: "replace", why: "the key is installed in the VM at create" },
    password: { change: "replace", why: "set at create; Nova has no password change" },
    powerState: {
      change: "inPlace",
      via: "POST /vms/{id}/stop or /start",
      call: "power",
      cloudDefault: true,
      doc: "`running` or `stopped` (inferred routes); a stopped VM bills only its storage (`storageHourlyRate`)",
    },
    createTimeoutSeconds: { change: "stateOnly" },
    deleteTimeoutSeconds: { change: "stateOnly" },
  },
};

const NO_UPDATE = "Nova has no SSH-key update";

export const sshKeyRules: ResourceRules = {
  type: "nova:SshKey",
  fields: {
    name: { change: "replace", why: NO_UPDATE },
    publicKey: { change: "replace", why: NO_UPDATE, normalize: normalizers.sshPublicKey, doc: "a changed comment alone is not a change" },
  },
};
