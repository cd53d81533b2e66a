import { GpuVmInputs } from "./inputs";

// Request bodies of fluence:GpuVm's calls, built from validated inputs.

/** POST /gpu/instances/{kind}: the chosen plan option, the name, the key and the OS. */
export function createBody(inputs: GpuVmInputs, optionId: string): { plan_id: string; name: string; ssh_key: string; os_image: string } {
  return { plan_id: optionId, name: inputs.name, ssh_key: inputs.sshPublicKey, os_image: inputs.osImage };
}
