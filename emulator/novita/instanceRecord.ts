/** One GPU instance (shared/api/novita.md §5) and how GET /gpu/instance and /gpu/instances show it. */

import type { EmulatedClock } from "../core/emulatedClock";
import { findCluster, findProduct } from "./catalog";
import { observe, type Observed, type Operation } from "./operations";

export interface PortSpec {
  port: number;
  type: "tcp" | "http";
}

export interface InstanceRecord {
  id: string;
  seq: number;
  name: string;
  productId: string;
  clusterId: string;
  gpuNum: number;
  rootfsSize: number;
  imageUrl: string;
  imageAuthId: string;
  command: string;
  entrypoint: string;
  ports: PortSpec[];
  tools: { name: string; port: number; type: "tcp" | "http" }[];
  envs: { key: string; value: string }[];
  networkVolumes: { id: string; mountPath: string }[];
  networkId: string;
  kind: "gpu" | "cpu";
  billingMode: "onDemand" | "monthly" | "spot";
  month: number;
  autoRenew: boolean;
  autoRenewMonth: number;
  createdAtWall: number;
  /** Wall ms a monthly subscription ends. */
  endsAtWall?: number;
  ip: string;
  sshPort: number;
  sshPassword: string;
  webTerminalPassword: string;
  operation: Operation;
  spotReclaimedAtWall?: number;
}

export function observed(rec: InstanceRecord, clock: EmulatedClock): Observed {
  return observe(rec.operation, clock.emulatedNow());
}

const unix = (wallMs: number) => String(Math.floor(wallMs / 1000));

function portMappings(rec: InstanceRecord) {
  const all = [...rec.ports, ...rec.tools.map((t) => ({ port: t.port, type: t.type }))];
  return all.map((p, i) => ({ port: p.port, endpoint: `${rec.ip}:${31000 + rec.seq * 20 + i}`, type: p.type }));
}

function common(rec: InstanceRecord, clock: EmulatedClock) {
  const o = observed(rec, clock);
  const product = findProduct(rec.productId);
  return {
    id: rec.id,
    name: rec.name,
    clusterId: rec.clusterId,
    clusterName: findCluster(rec.clusterId)?.name ?? rec.clusterId,
    imageUrl: rec.imageUrl,
    imageAuthId: rec.imageAuthId,
    command: rec.command,
    entrypoint: rec.entrypoint,
    // Numbers as strings, as Novita sends them.
    cpuNum: String((product?.cpuPerGpu ?? 8) * rec.gpuNum),
    memory: String((product?.memoryPerGpu ?? 32) * rec.gpuNum),
    gpuNum: String(rec.gpuNum),
    status: o.status,
    statusError: o.statusError ?? { state: "", message: "" },
    kind: rec.kind,
    billingMode: rec.billingMode,
    endTime: rec.endsAtWall ? unix(rec.endsAtWall) : "-1",
    spotStatus: rec.billingMode !== "spot" ? "" : rec.spotReclaimedAtWall ? "terminated" : "running",
    spotReclaimTime: rec.spotReclaimedAtWall ? unix(rec.spotReclaimedAtWall) : "0",
    createdAt: unix(rec.createdAtWall),
  };
}

/** GET /gpu/instance: the full object, secrets included. */
export function serializeInstance(rec: InstanceRecord, clock: EmulatedClock) {
  const base = common(rec, clock);
  const running = base.status === "running";
  const jupyter = rec.tools.find((t) => t.name === "Jupyter");
  return {
    ...base,
    network: { id: rec.networkId, ip: rec.ip },
    portMappings: portMappings(rec),
    volumeMounts: [
      { type: "local", size: rec.rootfsSize, mountPath: "/" },
      ...rec.networkVolumes.map((v) => ({ type: "network", size: 100, id: v.id, mountPath: v.mountPath })),
    ],
    node: [{ maxRootfsSize: findProduct(rec.productId)?.maxRootFS ?? 1024 }],
    jobs: [],
    envs: rec.envs,
    connectComponentSSH: { sshCommand: `ssh root@${rec.ip} -p ${rec.sshPort}`, password: rec.sshPassword, isRunning: running },
    connectComponentWebTerminal: { address: `https://${rec.id}-terminal.emulator.invalid`, username: "root", password: rec.webTerminalPassword, isRunning: running },
    connectComponentJupyter: jupyter ? { port: jupyter.port, address: `https://${rec.id}-${jupyter.port}.emulator.invalid`, isRunning: running } : null,
    connectComponentLog: { systemLogAddress: "", instanceLogAddress: "", isRunning: running },
    autoRenew: rec.autoRenew,
    autoRenewMonth: rec.autoRenewMonth,
    freeStorageSize: 60,
    keepDataDay: 7,
  };
}

/** /gpu/instances item: no connect components, network, node or envs; sizes as strings. */
export function serializeListItem(rec: InstanceRecord, clock: EmulatedClock) {
  const base = common(rec, clock);
  return {
    ...base,
    productId: rec.productId,
    productName: findProduct(rec.productId)?.name ?? rec.productId,
    rootfsSize: rec.rootfsSize,
    portMappings: portMappings(rec).map((p) => ({ port: p.port, type: p.type })),
    volumeMounts: rec.networkVolumes.map((v) => ({ type: "network", size: "100", id: v.id, mountPath: v.mountPath })),
  };
}
