import { ConfigSource, resolveSettings } from "../core/settings";
import { novitaClientFor, novitaCloud, ProductFilter } from "./client";
import { NovitaCluster, NovitaProduct } from "./schemas";

export type { NovitaCluster, NovitaProduct };
export type BillingMode = "onDemand" | "monthly" | "spot";

/** Novita's GPU products now, prices in USD per GPU-hour; never cached. Filters as documented for `/products`. */
export async function getProducts(config?: ConfigSource, filter: ProductFilter = {}): Promise<NovitaProduct[]> {
  return novitaClientFor(resolveSettings(novitaCloud, config)).products(filter);
}

/** Novita's clusters (regions) and the GPU types each offers. */
export async function getClusters(config?: ConfigSource): Promise<NovitaCluster[]> {
  return novitaClientFor(resolveSettings(novitaCloud, config)).clusters();
}

/** Can be bought now in this billing mode (fields Novita leaves out do not exclude a product). */
export function isDeployable(product: NovitaProduct, billingMode: BillingMode): boolean {
  if (!product.availableDeploy || product.canBuy === false || product.inventoryState === "none") return false;
  return product.billingMethods.length === 0 || product.billingMethods.includes(billingMode);
}

/** The hourly price per GPU that decides "cheapest" in a billing mode. */
export function pricePerGpuHour(product: NovitaProduct, billingMode: BillingMode): number | undefined {
  if (billingMode === "spot") return product.spotPricePerGpuHourUsd ?? product.pricePerGpuHourUsd;
  return product.pricePerGpuHourUsd;
}

/** The cheapest deployable product, optionally only those whose root disk can be this large. */
export function cheapestProduct(products: NovitaProduct[], want: { billingMode?: BillingMode; rootfsSize?: number } = {}): NovitaProduct | undefined {
  const mode = want.billingMode ?? "onDemand";
  const fits = products.filter(
    (p) => isDeployable(p, mode) && (want.rootfsSize === undefined || p.maxRootfsSize === undefined || p.maxRootfsSize >= want.rootfsSize),
  );
  const price = (p: NovitaProduct) => pricePerGpuHour(p, mode) ?? Number.POSITIVE_INFINITY;
  return fits.sort((a, b) => price(a) - price(b))[0];
}

/** The cheapest product now for a GPU name (Novita's fuzzy match) and count. */
export async function getCheapestProduct(
  config: ConfigSource | undefined,
  want: { productName: string; gpuCount: number; billingMode?: BillingMode; clusterId?: string; rootfsSize?: number },
): Promise<NovitaProduct | undefined> {
  const products = await getProducts(config, {
    productName: want.productName,
    gpuNum: want.gpuCount,
    billingMethod: want.billingMode,
    clusterId: want.clusterId,
  });
  return cheapestProduct(products, want);
}
