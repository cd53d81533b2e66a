/** Shape checks for `POST /resource/gpu` (API doc §6). Existence checks happen in the route. */

import type { ValidationIssue } from "./envelope";
import { osImages } from "./catalog";
import { isRecord, Issues } from "./validation";

export interface CreateVmRequest {
  name: string;
  datacenterId: string;
  seriesId: string;
  gpuCount: number;
  sshKeyId: string;
  skuCode?: string;
  imageName?: string;
  imageId?: string;
  resourceGroupId?: string;
  username?: string;
}

export const GPU_COUNTS = [1, 2, 4, 8];

export function parseCreateVmRequest(body: unknown): { ok: true; value: CreateVmRequest } | { ok: false; issues: ValidationIssue[] } {
  const issues = new Issues();
  if (!isRecord(body)) {
    issues.add("body", "Request body must be a JSON object");
    return { ok: false, issues: issues.list };
  }
  issues.text(body, "name", "Name", { max: 255 });
  issues.uuid(body, "datacenterId", "Datacenter ID");
  issues.uuid(body, "seriesId", "Series ID");
  if (body.gpuCount === undefined) issues.add("gpuCount", "GPU count is required");
  else if (!GPU_COUNTS.includes(body.gpuCount as number)) issues.add("gpuCount", `GPU count must be one of ${GPU_COUNTS.join(", ")}`);
  issues.uuid(body, "sshKeyId", "SSH key ID");
  issues.text(body, "skuCode", "SKU code", { max: 100, optional: true });
  if (body.imageName !== undefined && !osImages.some((img) => img.name === body.imageName)) {
    issues.add("imageName", `Image name must be one of ${osImages.map((img) => img.name).join(", ")}`);
  }
  issues.uuid(body, "imageId", "Image ID", { optional: true });
  issues.uuid(body, "resourceGroupId", "Resource group ID", { optional: true });
  issues.username(body);
  if (issues.any) return { ok: false, issues: issues.list };
  return { ok: true, value: body as unknown as CreateVmRequest };
}
