/** VM and bare-metal instances: POST/GET /gpu/instances/{vms|baremetal}, GET/PUT/DELETE …/{instance_id}. */

import type { JsonReply, RequestContext, Router } from "../../core/router";
import type { InstanceKind } from "../catalog";
import { isUuid, nameIssues, parseDeployRequest } from "../deployRequest";
import { detail, INSUFFICIENT_BALANCE, PLAN_GONE, validationDetail } from "../envelope";
import { instanceStatus, round, serializeInstance, serializeListItem, upfrontCost, type InstanceRecord } from "../instanceRecord";
import type { FluenceState } from "../state";

const SEGMENTS: Record<string, InstanceKind> = { vms: "vm", baremetal: "baremetal" };

const target = (ctx: RequestContext) => ({ method: ctx.method, path: ctx.path });

export function registerInstanceRoutes(router: Router, state: FluenceState): void {
  const { faults } = state.config;

  /** The instance of this kind, or the reply that says why not (422 malformed id, 404). */
  const lookup = (ctx: RequestContext, kind: InstanceKind): InstanceRecord | JsonReply => {
    const id = ctx.params.instance_id;
    if (!isUuid(id)) return validationDetail([{ type: "uuid_parsing", loc: ["path", "instance_id"], msg: "Input should be a valid UUID", input: id }]);
    const found = state.instances.get(id);
    return found && found.kind === kind ? found : detail(404, "Instance not found");
  };
  const isReply = (x: InstanceRecord | JsonReply): x is JsonReply => "status" in x;

  for (const [segment, kind] of Object.entries(SEGMENTS)) {
    const base = `/gpu/instances/${segment}`;

    router.get(base, () => {
      state.settle();
      const rows = [...state.instances.values()].filter((i) => i.kind === kind).map((i) => serializeListItem(i, state.clock));
      return { status: 200, body: rows };
    });

    router.post(base, (ctx) => {
      const parsed = parseDeployRequest(ctx.body);
      if (!parsed.ok) return validationDetail(parsed.issues);
      const req = parsed.value;
      const option = state.options.find((o) => o.id === req.plan_id && o.kind === kind);
      if (!option || faults.take("planGoneNextDeploys", target(ctx))) return detail(400, PLAN_GONE);
      if (!option.osOptions.includes(req.os_image)) {
        return detail(400, `Provided OS image ${req.os_image} is not supported for the selected offer. Available OS images: ${option.osOptions.join(", ")}`);
      }
      state.settle();
      const cost = upfrontCost(option);
      if (state.balance < cost) return detail(400, INSUFFICIENT_BALANCE);
      state.balance = round(state.balance - cost);

      const fail = faults.take("failNextDeploys", target(ctx));
      const stuck = fail ? undefined : faults.take("stuckNextDeploys", target(ctx));
      const now = state.clock.wallNow();
      const record: InstanceRecord = {
        id: state.newId(),
        kind,
        name: req.name,
        option,
        osImage: req.os_image,
        sshKey: req.ssh_key,
        createdAtWall: now,
        updatedAtWall: now,
        readyAtEmulated: stuck ? null : state.clock.emulatedNow() + state.config.provisioningSeconds * 1000,
        fate: fail ? "fail" : "active",
        reservedIp: state.ipFor(state.nextSeq()),
        chargedAmount: option.pricePerHour,
        reservedAmount: round(cost - option.pricePerHour),
        settled: false,
      };
      state.instances.set(record.id, record);
      state.counters.instancesDeployed++;
      // The instance exists; only the answer is lost, as when a proxy drops a slow response.
      if (faults.take("loseDeployResponse", target(ctx))) return { dropConnection: true };
      return { status: 200, body: { instance_id: record.id } };
    });

    router.get(`${base}/:instance_id`, (ctx) => {
      state.settle();
      const found = lookup(ctx, kind);
      return isReply(found) ? found : { status: 200, body: serializeInstance(found, state.clock) };
    });

    router.put(`${base}/:instance_id`, (ctx) => {
      const found = lookup(ctx, kind);
      if (isReply(found)) return found;
      const body = ctx.body as Record<string, unknown> | undefined;
      const name = body?.name;
      if (typeof name !== "string") return validationDetail([{ type: "missing", loc: ["body", "name"], msg: "Field required", input: body ?? null }]);
      const issues = nameIssues(name);
      if (issues.length) return validationDetail(issues);
      if (instanceStatus(found, state.clock) === "ENDED") return detail(400, "Cannot rename an ended instance");
      found.name = name;
      found.updatedAtWall = state.clock.wallNow();
      return { status: 204 };
    });

    router.delete(`${base}/:instance_id`, (ctx) => {
      const found = lookup(ctx, kind);
      if (isReply(found)) return found;
      const status = instanceStatus(found, state.clock);
      if (status !== "ACTIVE") return detail(400, `Only ACTIVE instances can be terminated; instance is ${status}`);
      state.terminate(found);
      return { status: 204 };
    });
  }
}
