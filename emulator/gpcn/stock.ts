/** How many VMs of each SKU each data center can still place. Deleting a VM gives its slot back. */

export class StockLedger {
  private readonly used = new Map<string, number>();

  constructor(private readonly perOffer: number) {}

  available(skuCode: string, datacenterCode: string): number {
    return Math.max(0, this.perOffer - (this.used.get(key(skuCode, datacenterCode)) ?? 0));
  }

  take(skuCode: string, datacenterCode: string): boolean {
    if (this.available(skuCode, datacenterCode) <= 0) return false;
    const k = key(skuCode, datacenterCode);
    this.used.set(k, (this.used.get(k) ?? 0) + 1);
    return true;
  }

  give(skuCode: string, datacenterCode: string): void {
    const k = key(skuCode, datacenterCode);
    const n = (this.used.get(k) ?? 0) - 1;
    if (n > 0) this.used.set(k, n);
    else this.used.delete(k);
  }

  reset(): void {
    this.used.clear();
  }
}

const key = (skuCode: string, datacenterCode: string) => `${skuCode}@${datacenterCode}`;
