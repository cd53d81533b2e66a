import { compact } from "../core/compact";
import { GpuVmInputs } from "./inputs";
import { templateId } from "./templates";

// Request bodies of nova:GpuVm's calls, built from validated inputs.

/** POST /vms on the chosen node, with the GPU type spelled as /search spells it. */
export function createBody(inputs: GpuVmInputs, node: string, gpuType: string): Record<string, unknown> {
  return compact({
    node,
    gpu_type: gpuType,
    gpu_count: inputs.gpuCount,
    storage_gb: inputs.storageGb,
    template_vmid: templateId(inputs.templateVmid),
    rental_type: inputs.rentalType,
    reservation_months: inputs.rentalType === "reserved" ? inputs.reservationMonths : undefined,
    auth_method: inputs.authMethod,
    // Nova defaults to the account's oldest key: always say which one.
    ssh_key_id: inputs.authMethod === "ssh_key" ? inputs.sshKeyId : undefined,
    password: inputs.authMethod === "password" ? inputs.password : undefined,
  });
}
