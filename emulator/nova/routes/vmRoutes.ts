/**
 * VMs: POST/GET /vms and GET /vms/{id} (documented); PATCH, DELETE and the power actions
 * (inferred, nova.md §4). Any route may be switched off to play a Nova that lacks it.
 */

import type { RequestContext, Router } from "../../core/router";
import { findNode, round, templates } from "../catalog";
import { parseCreateVmRequest } from "../createVmRequest";
import { detail, invalid, notFound } from "../errors";
import { reservationDeposit, vmRates } from "../pricing";
import { USER_ID, type NovaState } from "../state";
import { replan, serializeVm, type VmRecord } from "../vmRecord";

const target = (ctx: RequestContext) => ({ method: ctx.method, path: ctx.path });
const money = (v: number) => `$${v.toFixed(2)}`;

export type OptionalVmRoute = "GET /vms" | "PATCH /vms/:id" | "DELETE /vms/:id" | "POST /vms/:id/:action";

export function registerVmRoutes(router: Router, state: NovaState, disabled: ReadonlySet<string>): void {
  const { faults } = state.config;
  const { clock } = state;
  const ms = (seconds: number) => Math.max(1, seconds * 1000);
  const show = (vm: VmRecord) => serializeVm(vm, clock);

  router.post("/vms", (ctx) => {
    const parsed = parseCreateVmRequest(ctx.body);
    if (!parsed.ok) return invalid(parsed.errors);
    const req = parsed.value;
    const node = findNode(req.node);
    if (!node) return detail(404, `Node ${req.node} not found`);
    if (node.gpuType !== req.gpuType) return detail(400, `Node ${node.id} has no ${req.gpuType} GPUs (it has ${node.gpuType})`);
    if (!templates[req.templateVmid]) return detail(404, `Template ${req.templateVmid} not found`);
    let sshKeyId: string | null = null;
    if (req.authMethod === "ssh_key") {
      const key = req.sshKeyId ? state.sshKeys.get(req.sshKeyId) : state.oldestSshKey(); // documented default: the oldest key
      if (req.sshKeyId && !key) return notFound("SSH key");
      if (!key) return detail(400, "No SSH key found. Add an SSH key first or use password authentication");
      sshKeyId = key.id;
    }
    const { account } = state;
    if (state.liveVms().length >= account.maxVms) {
      return detail(403, `VM limit reached: your ${account.tier} tier allows at most ${account.maxVms} VMs`);
    }
    const rates = vmRates(node, req.gpuCount, req.storageGb, req.rentalType, req.reservationMonths);
    const required = req.rentalType === "reserved" ? reservationDeposit(rates.hourlyRate) : rates.hourlyRate;
    if (account.balance < required) return detail(400, `Insufficient balance. Required: ${money(required)}, Available: ${money(account.balance)}`);
    const spend = round(state.hourlySpend() + rates.hourlyRate);
    if (spend > account.maxHourlySpend) {
      return detail(403, `Maximum hourly spend exceeded: this VM would bring it to ${money(spend)}/h, your limit is ${money(account.maxHourlySpend)}/h`);
    }
    const forced = faults.take("capacityNextCreates", target(ctx));
    const free = forced ? 0 : state.freeGpus(node);
    if (free < req.gpuCount) return detail(400, `Not enough available GPUs on node ${node.id}: requested ${req.gpuCount}, available ${free}`);

    if (req.rentalType === "reserved") account.balance = round(account.balance - required, 2);
    const now = clock.emulatedNow();
    const p = ms(state.config.provisioningSeconds);
    const fail = faults.take("failNextCreates", target(ctx));
    const stuck = fail ? undefined : faults.take("stuckNextCreates", target(ctx));
    const timeline = fail
      ? [{ status: "creating" as const, at: now }, { status: "failed" as const, at: now + p * 0.5 }]
      : stuck
        ? [{ status: "creating" as const, at: now }, { status: "starting" as const, at: now + p * 0.6 }]
        : [{ status: "creating" as const, at: now }, { status: "starting" as const, at: now + p * 0.6 }, { status: "running" as const, at: now + p }];
    const vm: VmRecord = {
      id: state.newId(),
      vmid: state.newVmid(),
      userId: USER_ID,
      node: node.id,
      label: null, // the create body has no name field (documented)
      gpuType: node.gpuType,
      gpuCount: req.gpuCount,
      storageGb: req.storageGb,
      ramGb: Math.floor((node.ramGb / node.gpus) * req.gpuCount),
      cpuCores: Math.floor((node.cpuCores / node.gpus) * req.gpuCount),
      templateVmid: req.templateVmid,
      rentalType: req.rentalType,
      reservationMonths: req.reservationMonths ?? null,
      reservationId: req.rentalType === "reserved" ? state.newId() : null,
      autoRestart: null,
      authMethod: req.authMethod,
      sshKeyId,
      createdAtWall: clock.wallNow(),
      reservedIp: state.ipFor(++state.counters.vmsCreated),
      gpuHourlyRate: rates.gpuHourlyRate,
      storageHourlyRate: rates.storageHourlyRate,
      cpuModel: node.cpuModel,
      pcieGen: node.pcieGen,
      timeline,
    };
    state.vms.set(vm.id, vm);
    if (faults.take("loseCreateResponse", target(ctx))) return { dropConnection: true };
    return { status: 201, body: show(vm) };
  });

  if (!disabled.has("GET /vms")) {
    router.get("/vms", (ctx) => {
      const limit = Number(ctx.query.get("limit") ?? 50);
      const offset = Number(ctx.query.get("offset") ?? 0);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid([{ type: "less_than_equal", loc: ["query", "limit"], msg: "Input should be between 1 and 100", input: ctx.query.get("limit") }]);
      if (!Number.isInteger(offset) || offset < 0) return invalid([{ type: "greater_than_equal", loc: ["query", "offset"], msg: "Input should be greater than or equal to 0", input: ctx.query.get("offset") }]);
      const all = state.visibleVms().sort((a, b) => a.createdAtWall - b.createdAtWall || a.vmid - b.vmid);
      return { status: 200, body: all.slice(offset, offset + limit).map(show) };
    });
  }

  router.get("/vms/:id", (ctx) => {
    const vm = state.visibleVm(ctx.params.id);
    return vm ? { status: 200, body: show(vm) } : notFound("VM");
  });

  if (!disabled.has("PATCH /vms/:id")) {
    router.add("PATCH", "/vms/:id", (ctx) => {
      const vm = state.visibleVm(ctx.params.id);
      if (!vm || state.status(vm) === "destroyed") return notFound("VM");
      const body = (typeof ctx.body === "object" && ctx.body !== null ? ctx.body : {}) as Record<string, unknown>;
      const other = Object.keys(body).filter((k) => k !== "instance_label" && k !== "auto_restart");
      if (other.length) return detail(400, `Only instance_label and auto_restart can be changed (got ${other.join(", ")})`);
      const label = body.instance_label;
      if (label !== undefined && label !== null && (typeof label !== "string" || label.length > 100)) {
        return invalid([{ type: "string_too_long", loc: ["body", "instance_label"], msg: "String should have at most 100 characters", input: label }]);
      }
      if (body.auto_restart !== undefined && typeof body.auto_restart !== "boolean") {
        return invalid([{ type: "bool_type", loc: ["body", "auto_restart"], msg: "Input should be a valid boolean", input: body.auto_restart }]);
      }
      if (label !== undefined) vm.label = label as string | null;
      if (body.auto_restart !== undefined) vm.autoRestart = body.auto_restart as boolean;
      return { status: 200, body: show(vm) };
    });
  }

  if (!disabled.has("DELETE /vms/:id")) {
    router.delete("/vms/:id", (ctx) => {
      const vm = state.vms.get(ctx.params.id);
      if (!vm) return notFound("VM");
      const now = clock.emulatedNow();
      const status = state.status(vm);
      if (status === "destroyed") return notFound("VM");
      // Already being destroyed: the same answer again.
      if (!vm.timeline.some((s) => s.status === "destroyed")) {
        replan(vm, now, [{ status: "stopping", afterMs: 0 }, { status: "destroyed", afterMs: ms(state.config.destroySeconds) }]);
        state.counters.vmsDestroyed++;
      }
      return { status: 200, body: { message: "VM destruction started", id: vm.id } };
    });
  }

  if (!disabled.has("POST /vms/:id/:action")) {
    router.post("/vms/:id/:action", (ctx) => {
      const vm = state.visibleVm(ctx.params.id);
      if (!vm || state.status(vm) === "destroyed") return notFound("VM");
      const { action } = ctx.params;
      const now = clock.emulatedNow();
      const status = state.status(vm);
      const { startSeconds, stopSeconds } = state.config;
      const refuse = () => detail(400, `Cannot ${action} VM in status ${status}`);
      if (action === "stop") {
        if (status !== "running") return refuse();
        replan(vm, now, [{ status: "stopping", afterMs: 0 }, { status: "stopped", afterMs: ms(stopSeconds) }]);
      } else if (action === "start") {
        if (status !== "stopped" && status !== "interrupted") return refuse();
        replan(vm, now, [{ status: "starting", afterMs: 0 }, { status: "running", afterMs: ms(startSeconds) }]);
      } else if (action === "restart") {
        if (status !== "running") return refuse();
        replan(vm, now, [
          { status: "stopping", afterMs: 0 },
          { status: "starting", afterMs: ms(stopSeconds) },
          { status: "running", afterMs: ms(stopSeconds) + ms(startSeconds) },
        ]);
      } else {
        return detail(404, "Not Found");
      }
      return { status: 200, body: show(vm) };
    });
  }
}
