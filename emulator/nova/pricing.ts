/** Rates of a VM and reservation quotes (nova.md §11: on demand, interruptible, reserved). */

import { HOURS_PER_MONTH, listPrices, reservedDiscountPercent, round, STORAGE_PER_GB_HOUR, type NovaNode } from "./catalog";

export interface VmRates {
  gpuHourlyRate: number;
  storageHourlyRate: number;
  hourlyRate: number;
}

export function vmRates(node: NovaNode, gpuCount: number, storageGb: number, rental: string, months?: number): VmRates {
  const perGpu =
    rental === "interruptible"
      ? node.interruptibleRate
      : node.pricePerGpuHour * (1 - (rental === "reserved" ? (reservedDiscountPercent[months ?? 1] ?? 0) : 0) / 100);
  const gpuHourlyRate = round(perGpu * gpuCount);
  const storageHourlyRate = round(storageGb * STORAGE_PER_GB_HOUR);
  return { gpuHourlyRate, storageHourlyRate, hourlyRate: round(gpuHourlyRate + storageHourlyRate) };
}

/** A reserved VM pays its first month up front (the "upfront deposit" of the guides). */
export function reservationDeposit(hourlyRate: number): number {
  return round(hourlyRate * HOURS_PER_MONTH, 2);
}

/** POST /reservations/calculate (documented shape). */
export function reservationQuote(gpuType: string, gpuCount: number, storageGb: number, months: number) {
  const discount = reservedDiscountPercent[months] ?? 0;
  const hourly = (listPrices[gpuType] ?? 0) * gpuCount * (1 - discount / 100) + storageGb * STORAGE_PER_GB_HOUR;
  const monthly = round(hourly * HOURS_PER_MONTH, 2);
  return {
    discount_percent: discount,
    deposit_required: monthly,
    monthly_cost: monthly,
    hourly_rate_after_discount: round(hourly),
    cancellation_fee_25_percent: round(monthly * months * 0.25, 2),
  };
}
