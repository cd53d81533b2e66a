/**
 * GPU instance routes (shared/api/novita.md §4, §7, §8): GET /gpu/instances, GET /gpu/instance,
 * POST /gpu/instance/{create,edit,upgrade,start,stop,restart,delete,setAutoRenew}.
 */

import type { JsonReply, Reply, RequestContext, Router } from "../../core/router";
import { deployable, findCluster, findProduct } from "../catalog";
import { parseCreateRequest, portProblem } from "../createRequest";
import { failure, INVALID_STATE_CHANGE, ok } from "../envelope";
import { observed, serializeInstance, serializeListItem, type InstanceRecord } from "../instanceRecord";
import { allowedFrom } from "../operations";
import type { NovitaState } from "../state";
import { API_PREFIX } from "./apiPrefix";

const GPU = `${API_PREFIX}/gpu`;
const MONTH_MS = 30 * 24 * 3600 * 1000;

const target = (ctx: RequestContext) => ({ method: ctx.method, path: ctx.path });
const bodyOf = (ctx: RequestContext) => (ctx.body && typeof ctx.body === "object" ? (ctx.body as Record<string, any>) : {});

export function registerInstanceRoutes(router: Router, state: NovitaState): void {
  const { faults } = state.config;
  const clock = state.clock;
  const missing = (): JsonReply =>
    state.config.missingInstanceStatus === 404 ? failure("RESOURCE_NOT_FOUND", "instance not found", {}, 404) : failure("RESOURCE_NOT_FOUND", "instance not found");
  /** The instance named in the body, or the reply saying why not. */
  const lookup = (id: unknown): InstanceRecord | JsonReply => {
    if (typeof id !== "string" || !id) return failure("VALIDATOR_PARAM", "instanceId is required", { field: "instanceId" });
    return state.instance(id) ?? missing();
  };
  const isReply = (v: InstanceRecord | JsonReply): v is JsonReply => "status" in v && typeof (v as JsonReply).status === "number";
  const statusOf = (rec: InstanceRecord) => observed(rec, clock).status;
  const refuse = (rec: InstanceRecord, action: keyof typeof allowedFrom): JsonReply | undefined =>
    allowedFrom[action].includes(statusOf(rec)) ? undefined : failure("CONFLICT", INVALID_STATE_CHANGE, { status: statusOf(rec) });

  router.get(`${GPU}/instances`, (ctx) => {
    const size = Number(ctx.query.get("pageSize"));
    const page = Number(ctx.query.get("pageNum"));
    if (!ctx.query.get("pageSize") || !Number.isInteger(size) || size < 0) return failure("VALIDATOR_PARAM", "pageSize is required (integer >= 0)", { field: "pageSize" });
    if (ctx.query.get("pageNum") === null || !Number.isInteger(page) || page < 0) return failure("VALIDATOR_PARAM", "pageNum is required (integer >= 0)", { field: "pageNum" });
    state.sweep();
    const wanted = ctx.query.get("status");
    const rows = [...state.instances.values()].filter((r) => !wanted || statusOf(r) === wanted).sort((a, b) => b.seq - a.seq);
    const start = (Math.max(page, 1) - 1) * size; // pageNum 0 and 1 both mean the first page
    return ok({ instances: rows.slice(start, start + size).map((r) => serializeListItem(r, clock)), total: rows.length });
  });

  router.get(`${GPU}/instance`, (ctx) => {
    const rec = lookup(ctx.query.get("instanceId"));
    return isReply(rec) ? rec : ok(serializeInstance(rec, clock));
  });

  router.post(`${GPU}/instance/create`, (ctx): Reply => {
    const parsed = parseCreateRequest(ctx.body);
    if (!parsed.ok) {
      const first = parsed.problems[0];
      return failure("VALIDATOR_PARAM", parsed.problems.map((p) => `${p.field}: ${p.message}`).join("; "), { field: first.field });
    }
    const req = parsed.value;
    const product = findProduct(req.productId);
    if (!product) return failure("RESOURCE_NOT_FOUND", `product ${req.productId} not found`, { field: "productId" });
    if (req.rootfsSize > product.maxRootFS) return failure("VALIDATOR_PARAM", `rootfsSize: must be at most ${product.maxRootFS} for product ${product.id}`, { field: "rootfsSize" });
    if (!product.billingMethods.includes(req.billingMode)) return failure("UNSUPPORTED_BILLING_MODE", `product ${product.id} does not support ${req.billingMode}`);
    if (req.clusterId && !findCluster(req.clusterId)) return failure("RESOURCE_NOT_FOUND", `cluster ${req.clusterId} not found`, { field: "clusterId" });
    if (req.networkStorages.length && req.clusterId && !findCluster(req.clusterId)!.supportNetworkStorage) {
      return failure("NETWORK_STORAGE_NOT_SUPPORTED", `cluster ${req.clusterId} does not support network storage`);
    }
    const rejected = faults.take("rejectNextCreates", target(ctx));
    if (rejected) {
      const reason = rejected.reason ?? "INSUFFICIENT_RESOURCE";
      return failure(reason, rejected.message ?? defaultRejection(reason));
    }
    const clusterId = req.clusterId || product.clusters.find(Boolean)!;
    if (!product.clusters.includes(clusterId)) return failure("INSUFFICIENT_RESOURCE", `no ${product.name} in cluster ${clusterId}`);
    state.sweep();
    if (!deployable(product) || state.liveCount(product.id) >= state.config.stockPerProduct) {
      return failure("INSUFFICIENT_RESOURCE", `insufficient resource: ${product.name} ×${req.gpuNum} is sold out`);
    }
    const id = state.newId();
    const seq = state.nextSeq();
    const now = clock.wallNow();
    const rec: InstanceRecord = {
      id,
      seq,
      name: req.name,
      productId: product.id,
      clusterId,
      gpuNum: req.gpuNum,
      rootfsSize: req.rootfsSize,
      imageUrl: req.imageUrl,
      imageAuthId: req.imageAuthId ?? "",
      command: req.command,
      entrypoint: req.entrypoint,
      ports: req.ports,
      tools: req.tools,
      envs: req.envs,
      networkVolumes: req.networkStorages.map((s) => ({ id: s.id, mountPath: s.mountPoint })),
      networkId: req.networkId,
      kind: req.kind,
      billingMode: req.billingMode,
      month: req.month,
      autoRenew: req.autoRenew,
      autoRenewMonth: req.autoRenewMonth,
      createdAtWall: now,
      endsAtWall: req.billingMode === "monthly" ? now + req.month * MONTH_MS : undefined,
      ip: state.ipFor(++state.counters.instancesCreated),
      sshPort: 31000 + seq * 20 + 19,
      sshPassword: state.secret("ssh", id),
      webTerminalPassword: state.secret("terminal", id),
      operation: undefined as never,
    };
    state.begin(rec, "create", target(ctx));
    state.instances.set(id, rec);
    // The instance exists; only the answer is lost, as when a proxy drops a slow response.
    if (faults.take("loseCreateResponse", target(ctx))) return { dropConnection: true };
    return ok({ id });
  });

  router.post(`${GPU}/instance/edit`, (ctx) => {
    const b = bodyOf(ctx);
    const rec = lookup(b.instanceId);
    if (isReply(rec)) return rec;
    if (b.ports !== undefined) {
      if (!Array.isArray(b.ports)) return failure("VALIDATOR_PARAM", "ports must be a list", { field: "ports" });
      for (const p of b.ports) {
        const problem = portProblem(p?.port) ?? (["tcp", "http"].includes(p?.type) ? undefined : "type must be tcp or http");
        if (problem) return failure("VALIDATOR_PARAM", `ports: ${problem}`, { field: "ports" });
      }
      if (b.ports.length > 15) return failure("VALIDATOR_PARAM", "ports + tools must not exceed 15", { field: "ports" });
    }
    const grow = b.expandRootDisk ?? 0;
    if (typeof grow !== "number" || !Number.isInteger(grow) || grow < 0) return failure("VALIDATOR_PARAM", "expandRootDisk must be an integer >= 0", { field: "expandRootDisk" });
    const max = findProduct(rec.productId)?.maxRootFS ?? 6144;
    if (rec.rootfsSize + grow > max) return failure("VALIDATOR_PARAM", `expandRootDisk: the root disk may grow to at most ${max} GB`, { field: "expandRootDisk" });
    const refused = refuse(rec, "edit");
    if (refused) return refused;
    if (Array.isArray(b.ports)) {
      // The list replaces every exposed port; tools keep their ports only if listed.
      const listed = b.ports.map((p: any) => ({ port: p.port as number, type: p.type as "tcp" | "http" }));
      rec.tools = rec.tools.filter((t) => listed.some((p: { port: number }) => p.port === t.port));
      rec.ports = listed.filter((p: { port: number }) => !rec.tools.some((t) => t.port === p.port));
    }
    rec.rootfsSize += grow;
    state.counters.edits++;
    return ok();
  });

  router.post(`${GPU}/instance/upgrade`, (ctx) => {
    const b = bodyOf(ctx);
    const rec = lookup(b.instanceId);
    if (isReply(rec)) return rec;
    if (typeof b.imageUrl !== "string" || b.imageUrl.length < 1 || b.imageUrl.length > 500) return failure("VALIDATOR_PARAM", "imageUrl: length must be 1-500", { field: "imageUrl" });
    if (b.envs !== undefined && (!Array.isArray(b.envs) || b.envs.length > 100)) return failure("VALIDATOR_PARAM", "envs: at most 100", { field: "envs" });
    const mounts = b.networkVolume?.volumeMounts;
    if (mounts !== undefined && !Array.isArray(mounts)) return failure("VALIDATOR_PARAM", "networkVolume.volumeMounts must be a list", { field: "networkVolume" });
    const refused = refuse(rec, "upgrade");
    if (refused) return refused;
    // A full replacement: whatever is left out is cleared.
    rec.imageUrl = b.imageUrl;
    rec.imageAuthId = typeof b.imageAuthId === "string" ? b.imageAuthId : "";
    rec.envs = Array.isArray(b.envs) ? b.envs.map((e: any) => ({ key: String(e.key), value: String(e.value ?? "") })) : [];
    rec.command = typeof b.command === "string" ? b.command : "";
    rec.entrypoint = typeof b.entrypoint === "string" ? b.entrypoint : "";
    if (Array.isArray(mounts)) rec.networkVolumes = mounts.map((m: any) => ({ id: String(m.id), mountPath: String(m.mountPath ?? "/network") }));
    state.begin(rec, "reset");
    state.counters.upgrades++;
    return ok();
  });

  for (const action of ["start", "stop", "restart"] as const) {
    router.post(`${GPU}/instance/${action}`, (ctx) => {
      const rec = lookup(bodyOf(ctx).instanceId);
      if (isReply(rec)) return rec;
      const refused = refuse(rec, action);
      if (refused) return refused;
      state.begin(rec, action);
      // Live start/stop answered {instanceId, state} instead of the documented {}.
      return ok({ instanceId: rec.id, state: statusOf(rec) });
    });
  }

  router.post(`${GPU}/instance/delete`, (ctx) => {
    const rec = lookup(bodyOf(ctx).instanceId);
    if (isReply(rec)) return rec;
    const status = statusOf(rec);
    if (["toRemove", "removing", "removed"].includes(status)) return failure("CONFLICT", INVALID_STATE_CHANGE, { status });
    if (rec.billingMode === "monthly" && rec.endsAtWall !== undefined && rec.endsAtWall > clock.wallNow()) {
      return failure("PREPAID_INSTANCE_NOT_SUPPORT_RELEASE", "prepaid instance does not support release before it expires");
    }
    state.begin(rec, "delete");
    return { status: 200 }; // an empty body, as live clients saw
  });

  router.post(`${GPU}/instance/setAutoRenew`, (ctx) => {
    const b = bodyOf(ctx);
    if (!Array.isArray(b.instanceIds) || b.instanceIds.length === 0) return failure("VALIDATOR_PARAM", "instanceIds is required", { field: "instanceIds" });
    if (typeof b.autoRenew !== "boolean") return failure("VALIDATOR_PARAM", "autoRenew is required", { field: "autoRenew" });
    if (!Number.isInteger(b.autoRenewMonth) || b.autoRenewMonth < 1 || b.autoRenewMonth > 12) return failure("VALIDATOR_PARAM", "autoRenewMonth must be in [1, 12]", { field: "autoRenewMonth" });
    const recs: InstanceRecord[] = [];
    for (const id of b.instanceIds) {
      const rec = lookup(id);
      if (isReply(rec)) return rec;
      if (rec.billingMode !== "monthly") return failure("UNSUPPORTED_BILLING_MODE", `instance ${rec.id} is not a monthly instance`);
      recs.push(rec);
    }
    for (const rec of recs) {
      rec.autoRenew = b.autoRenew;
      rec.autoRenewMonth = b.autoRenewMonth;
    }
    return ok();
  });
}

function defaultRejection(reason: string): string {
  switch (reason) {
    case "BALANCE_NOT_ENOUGH":
      return "balance not enough";
    case "CREATE_INSTANCE_LIMIT":
      return "instance limit reached, please recharge or delete other instances";
    case "GPU_SPEC_USED":
      return "the GPU specification is in use";
    default:
      return "insufficient resource";
  }
}
