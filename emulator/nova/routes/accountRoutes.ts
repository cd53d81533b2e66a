/** GET /auth/me, /billing/balance, /billing/current-spend and POST /reservations/calculate (documented). */

import type { Router } from "../../core/router";
import { round } from "../catalog";
import { invalid, type FieldError } from "../errors";
import { reservationQuote } from "../pricing";
import { USER_ID, type NovaState } from "../state";
import { billedHourly } from "../vmRecord";

export function registerAccountRoutes(router: Router, state: NovaState): void {
  router.get("/auth/me", () => ({
    status: 200,
    body: { id: USER_ID, email: "emulator@nova-cloud.invalid", tier: state.account.tier, max_vms: state.account.maxVms, max_hourly_spend: state.account.maxHourlySpend, is_active: true },
  }));

  router.get("/billing/balance", () => ({ status: 200, body: { balance: state.account.balance, currency: "USD" } }));

  router.get("/billing/current-spend", () => {
    const vms = state.liveVms().map((vm) => ({ id: vm.id, instance_label: vm.label, status: state.status(vm), hourly_rate: round(billedHourly(vm, state.status(vm))) }));
    const perHour = round(vms.reduce((s, v) => s + v.hourly_rate, 0));
    return {
      status: 200,
      body: { total_per_hour: perHour, total_per_day: round(perHour * 24, 2), total_per_month: round(perHour * 730, 2), running_vms: vms.filter((v) => v.status === "running").length, vms },
    };
  });

  router.post("/reservations/calculate", (ctx) => {
    const b = (ctx.body ?? {}) as Record<string, unknown>;
    const errors: FieldError[] = [];
    if (typeof b.gpu_type !== "string") errors.push({ type: "missing", loc: ["body", "gpu_type"], msg: "Field required", input: b });
    if (![1, 2, 4, 8].includes(b.gpu_count as number)) errors.push({ type: "literal_error", loc: ["body", "gpu_count"], msg: "Input should be 1, 2, 4 or 8", input: b.gpu_count });
    if (typeof b.storage_gb !== "number" || b.storage_gb < 50) errors.push({ type: "greater_than_equal", loc: ["body", "storage_gb"], msg: "Input should be greater than or equal to 50", input: b.storage_gb });
    if (![1, 3, 6].includes(b.reservation_months as number)) errors.push({ type: "enum", loc: ["body", "reservation_months"], msg: "Input should be 1, 3 or 6", input: b.reservation_months });
    if (errors.length) return invalid(errors);
    return { status: 200, body: reservationQuote(b.gpu_type as string, b.gpu_count as number, b.storage_gb as number, b.reservation_months as number) };
  });
}
