/** GPU VM CRUD: GET/POST /resource/gpu, GET/PUT/DELETE /resource/gpu/:id */

import type { RequestContext, Router } from "../../core/router";
import {
  DEFAULT_IMAGE_NAME,
  findDatacenterById,
  findImageById,
  findImageByName,
  findResourceGroup,
  findSeriesById,
  defaultResourceGroup,
} from "../catalog";
import { parseCreateVmRequest } from "../createVmRequest";
import { failure, INVENTORY_DEPLETED, notFound, ok, PROVIDER_UNAVAILABLE, validationFailure } from "../envelope";
import { stockedSkus } from "../inventory";
import { jobState, serializeJob } from "../jobs";
import { paginate, parseListQuery } from "../pagination";
import type { GpcnState } from "../state";
import { isRecord, isUuid, Issues } from "../validation";
import { serializeVm, serializeVmListItem, type VmRecord } from "../vmRecord";
import { API_PREFIX } from "./apiPrefix";

const GPU = `${API_PREFIX}/resource/gpu`;
const IMMUTABLE_FIELDS = ["datacenterId", "seriesId", "gpuCount", "skuCode", "imageName", "imageId"];

const target = (ctx: RequestContext) => ({ method: ctx.method, path: ctx.path });

export function registerGpuVmRoutes(router: Router, state: GpcnState): void {
  const { faults } = state.config;

  router.get(GPU, (ctx) => {
    const q = parseListQuery(ctx.query, ["name", "createdAt", "updatedAt", "status"], "createdAt:desc");
    if (!q.ok) return validationFailure(q.issues);
    const groupId = ctx.query.get("resourceGroupId");
    if (groupId && !isUuid(groupId)) return validationFailure([{ path: "resourceGroupId", message: "Resource group ID must be a valid UUID" }]);
    state.sweep();
    const search = q.value.search?.toLowerCase();
    const rows = [...state.vms.values()]
      .filter((vm) => (!search || vm.name.toLowerCase().includes(search)) && (!groupId || vm.resourceGroupId === groupId))
      .map((vm) => ({ vm, item: serializeVmListItem(vm, state.lookups) }));
    const page = paginate(rows, q.value, ({ vm, item }, field) => {
      if (field === "createdAt") return `${String(vm.createdAtWall).padStart(16, "0")}:${String(vm.seq).padStart(10, "0")}`;
      if (field === "name") return item.name;
      if (field === "status") return item.status;
      return item.updatedAt;
    });
    return ok(page.items.map((row) => row.item), "GPU VMs retrieved successfully", page.meta);
  });

  router.post(GPU, (ctx) => {
    const parsed = parseCreateVmRequest(ctx.body);
    if (!parsed.ok) return validationFailure(parsed.issues);
    const req = parsed.value;
    const sshKey = state.sshKeys.get(req.sshKeyId);
    if (!sshKey) return notFound("SSH key");
    const group = findResourceGroup(req.resourceGroupId ?? defaultResourceGroup.id);
    if (!group) return notFound("Resource group");
    const datacenter = findDatacenterById(req.datacenterId);
    if (!datacenter) return notFound("Datacenter");
    const series = findSeriesById(req.seriesId);
    if (!series) return notFound("GPU series");
    // imageName wins over imageId (doc §6)
    const image = req.imageName ? findImageByName(req.imageName) : req.imageId ? findImageById(req.imageId) : findImageByName(DEFAULT_IMAGE_NAME);
    if (!image) return notFound("Image");
    const requestedSku = req.skuCode ? series.skus.find((sku) => sku.skuCode.toLowerCase() === req.skuCode!.toLowerCase()) : undefined;
    if (req.skuCode && (!requestedSku || requestedSku.gpuCount !== req.gpuCount)) {
      return failure(400, `SKU '${req.skuCode}' does not match series '${series.code}' with ${req.gpuCount} GPU(s)`);
    }

    if (faults.take("unavailableNextCreates", target(ctx))) return failure(503, PROVIDER_UNAVAILABLE);
    if (faults.take("capacityNextCreates", target(ctx))) return failure(409, INVENTORY_DEPLETED);
    state.sweep();
    const stocked = stockedSkus(state.stock, series.id, req.gpuCount, datacenter.code);
    const sku = requestedSku ? stocked.find((s) => s.skuCode === requestedSku.skuCode) : stocked[0];
    if (!sku || !state.stock.take(sku.skuCode, datacenter.code)) return failure(409, INVENTORY_DEPLETED);

    const id = state.newId();
    const job = state.startJob("create", { id, name: req.name }, target(ctx));
    const now = state.clock.wallNow();
    const vm: VmRecord = {
      id,
      seq: state.nextSeq(),
      name: req.name,
      createdAtWall: now,
      editedAtWall: now,
      seriesId: series.id,
      skuCode: sku.skuCode,
      datacenterCode: datacenter.code,
      resourceGroupId: group.id,
      imageName: image.name,
      sshKeyId: sshKey.id,
      sshKeyNameSnapshot: sshKey.name,
      username: req.username ?? image.defaultUsername,
      reservedIp: state.ipFor(++state.counters.vmsCreated),
      createJobId: job.jobId,
    };
    state.vms.set(id, vm);
    // The VM and job exist; only the answer is lost, as when a proxy drops a slow response.
    if (faults.take("loseCreateResponse", target(ctx))) return { dropConnection: true };
    return ok({ jobs: [serializeJob(job, state.clock)] }, "Operation initiated successfully", null, 202);
  });

  router.get(`${GPU}/:id`, (ctx) => {
    const vm = state.vm(ctx.params.id);
    return vm ? ok(serializeVm(vm, state.lookups), "GPU VM retrieved successfully") : notFound("GPU VM");
  });

  router.put(`${GPU}/:id`, (ctx) => {
    const vm = state.vm(ctx.params.id);
    if (!vm) return notFound("GPU VM");
    const body = ctx.body;
    const issues = new Issues();
    if (!isRecord(body)) {
      issues.add("body", "Request body must be a JSON object");
      return validationFailure(issues.list);
    }
    for (const field of IMMUTABLE_FIELDS) {
      if (body[field] !== undefined) issues.add(field, `${field} cannot be changed; create a new GPU VM instead`);
    }
    issues.text(body, "name", "Name", { max: 255, optional: true });
    issues.uuid(body, "resourceGroupId", "Resource group ID", { optional: true });
    if (body.sshKeyId !== undefined && body.sshKeyId !== null && !isUuid(body.sshKeyId)) {
      issues.add("sshKeyId", "SSH key ID must be a valid UUID or null");
    }
    issues.username(body);
    if (!issues.any && ["name", "resourceGroupId", "sshKeyId", "username"].every((f) => body[f] === undefined)) {
      issues.add("body", "At least one of name, resourceGroupId, sshKeyId, username is required");
    }
    if (issues.any) return validationFailure(issues.list);
    if (vm.deleteJobId) return failure(409, "GPU VM is being deleted");
    if (typeof body.resourceGroupId === "string" && !findResourceGroup(body.resourceGroupId)) return notFound("Resource group");
    const newKey = typeof body.sshKeyId === "string" ? state.sshKeys.get(body.sshKeyId) : undefined;
    if (typeof body.sshKeyId === "string" && !newKey) return notFound("SSH key");

    if (typeof body.name === "string") vm.name = body.name;
    if (typeof body.resourceGroupId === "string") vm.resourceGroupId = body.resourceGroupId;
    if (body.sshKeyId === null) {
      vm.sshKeyId = null;
      vm.sshKeyNameSnapshot = null;
    } else if (newKey) {
      vm.sshKeyId = newKey.id;
      vm.sshKeyNameSnapshot = newKey.name;
    }
    if (typeof body.username === "string") vm.username = body.username;
    vm.editedAtWall = state.clock.wallNow();
    return ok(serializeVm(vm, state.lookups), "GPU VM updated successfully");
  });

  router.delete(`${GPU}/:id`, (ctx) => {
    const vm = state.vm(ctx.params.id);
    if (!vm) return notFound("GPU VM");
    const running = vm.deleteJobId ? state.jobs.get(vm.deleteJobId) : undefined;
    if (running && !jobState(running, state.clock.emulatedNow()).hasFailed) {
      // Deletion already under way: report the same job again.
      return ok(serializeJob(running, state.clock), "Operation initiated successfully", null, 202);
    }
    const createJob = state.jobs.get(vm.createJobId);
    if (createJob && createJob.cancelledAt === undefined) createJob.cancelledAt = state.clock.emulatedNow();
    const job = state.startJob("delete", { id: vm.id, name: vm.name }, target(ctx));
    vm.deleteJobId = job.jobId;
    return ok(serializeJob(job, state.clock), "Operation initiated successfully", null, 202);
  });
}
