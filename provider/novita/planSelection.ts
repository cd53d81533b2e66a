import { CapacityError, ValidationError } from "../core/errors";
import { NovitaClient } from "./client";
import { GpuVmInputs } from "./inputs";
import { cheapestProduct, isDeployable } from "./products";
import { NovitaProduct } from "./schemas";

// What a novita:GpuVm buys: the product, checked for stock and disk limits before anything is bought.

/** Finds the product (by id, or the cheapest for a name) and checks stock and disk limits before anything is bought. */
export async function resolveProduct(client: NovitaClient, inputs: GpuVmInputs): Promise<{ productId: string; product?: NovitaProduct }> {
  if (inputs.kind !== "gpu") {
    if (!inputs.productId) throw new ValidationError("Novita: cpu instances need a productId (from /cpu/products)", { cloud: "novita", issues: [{ path: "productId", message: "is required for kind cpu" }] });
    return { productId: inputs.productId };
  }
  // Shared by concurrent creates with the same filter. Read even when productId is given: the
  // stock check and the price outputs need the product.
  const products = await client.sharedProducts({
    gpuNum: inputs.gpuCount,
    billingMethod: inputs.billingMode,
    clusterId: inputs.clusterId,
    productName: inputs.productName,
  });
  if (inputs.productId) {
    const product = products.find((p) => p.id === inputs.productId);
    if (!product) return { productId: inputs.productId }; // hidden by a filter: let Novita decide
    if (!isDeployable(product, inputs.billingMode)) {
      throw new CapacityError(`Novita product ${product.id} (${product.name}) cannot be deployed now (inventory ${product.inventoryState ?? "unknown"}, billing ${inputs.billingMode})`, { cloud: "novita" });
    }
    checkRootfs(product, inputs.rootfsSize);
    return { productId: product.id, product };
  }
  const product = cheapestProduct(products, inputs);
  if (!product) {
    const seen = products.map((p) => `${p.id} (${p.name}, inventory ${p.inventoryState ?? "?"}, up to ${p.maxRootfsSize ?? "?"} GB)`).join("; ");
    throw new CapacityError(
      `Novita has no deployable product matching "${inputs.productName}" for ${inputs.gpuCount} GPU(s), ${inputs.billingMode}, ${inputs.rootfsSize} GB root disk${inputs.clusterId ? ` in cluster ${inputs.clusterId}` : ""}; matching now: ${seen || "none"}`,
      { cloud: "novita" },
    );
  }
  return { productId: product.id, product };
}

export function checkRootfs(product: NovitaProduct, rootfsSize: number): void {
  if (product.maxRootfsSize !== undefined && rootfsSize > product.maxRootfsSize) {
    throw new ValidationError(`Novita product ${product.id} allows a root disk of at most ${product.maxRootfsSize} GB; rootfsSize is ${rootfsSize}`, {
      cloud: "novita",
      issues: [{ path: "rootfsSize", message: `at most ${product.maxRootfsSize} for ${product.id}` }],
    });
  }
}
