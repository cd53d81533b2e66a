import { compact } from "../core/compact";
import { GpuVmInputs } from "./inputs";
import { envsWithMarker } from "./instanceMarker";

// Request bodies of novita:GpuVm's calls, built from validated inputs.

export function createBody(inputs: GpuVmInputs, productId: string, marker: string): Record<string, unknown> {
  return compact({
    name: inputs.name,
    productId,
    gpuNum: inputs.gpuCount,
    rootfsSize: inputs.rootfsSize,
    imageUrl: inputs.imageUrl,
    imageAuth: inputs.imageAuth,
    imageAuthId: inputs.imageAuthId,
    ports: portsString(inputs.ports),
    envs: envsWithMarker(inputs.envs, marker),
    tools: inputs.tools?.map((t) => ({ name: t.name, port: String(t.port), type: t.type })),
    command: inputs.command,
    entrypoint: inputs.entrypoint,
    clusterId: inputs.clusterId ?? "",
    networkStorages: inputs.networkStorages?.map((n) => ({ Id: n.id, mountPoint: n.mountPoint })),
    networkId: inputs.networkId,
    kind: inputs.kind,
    billingMode: inputs.billingMode,
    month: inputs.month,
    autoRenew: inputs.autoRenew,
    autoRenewMonth: inputs.autoRenewMonth,
    minCudaVersion: inputs.minCudaVersion,
  });
}

/** Upgrade replaces image, envs, command, entrypoint and network volumes all at once: send them all. */
export function upgradeBody(instanceId: string, inputs: GpuVmInputs, marker: string): Record<string, unknown> {
  return compact({
    instanceId,
    imageUrl: inputs.imageUrl,
    imageAuthId: inputs.imageAuthId,
    envs: envsWithMarker(inputs.envs, marker),
    command: inputs.command ?? "",
    entrypoint: inputs.entrypoint ?? "",
    save: true, // keep the root disk's data across the reset
    networkVolume: { volumeMounts: (inputs.networkStorages ?? []).map((n) => ({ type: "network", id: n.id, mountPath: n.mountPoint })) },
  });
}

/** `[{port: 80, type: "http"}]` → `"80/http"`: create takes a string, edit takes the list. */
export function portsString(ports: GpuVmInputs["ports"]): string | undefined {
  return ports && ports.length ? ports.map((p) => `${p.port}/${p.type}`).join(", ") : undefined;
}
