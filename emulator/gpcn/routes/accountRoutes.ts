/** GET /auth/check, /resource-groups/, /resource/data-centers/ */

import { createHash } from "node:crypto";
import type { Router } from "../../core/router";
import { apiKeyFrom } from "../auth";
import { datacenters, ENTITY_ID, findResourceGroup, resourceGroups, type ResourceGroup } from "../catalog";
import { notFound, ok, validationFailure } from "../envelope";
import { paginate, parseListQuery } from "../pagination";
import { API_PREFIX } from "./apiPrefix";

const PERMISSIONS = ["gpu:read", "gpu:write", "ssh-keys:read", "ssh-keys:write", "jobs:read", "resource-groups:read"];

/** Resource groups are seeded once and never change, so their timestamps are fixed. */
const SEEDED_AT = new Date(Date.UTC(2026, 0, 1)).toISOString();

function serializeResourceGroup(group: ResourceGroup) {
  return { id: group.id, name: group.name, description: group.description, isDefault: group.isDefault, entityId: ENTITY_ID, createdAt: SEEDED_AT, updatedAt: SEEDED_AT };
}

export function registerAccountRoutes(router: Router): void {
  router.get(`${API_PREFIX}/auth/check`, (ctx) => {
    const key = apiKeyFrom(ctx.headers) ?? "";
    return ok(
      {
        authenticated: true,
        credential: {
          type: "api_key",
          id: createHash("sha256").update(key).digest("hex").slice(0, 24),
          keyPrefix: key.slice(0, 9),
          entityId: ENTITY_ID,
          expiresAt: null,
        },
        grants: { permissions: PERMISSIONS },
      },
      "Authenticated",
    );
  });

  router.get(`${API_PREFIX}/resource-groups`, (ctx) => {
    const q = parseListQuery(ctx.query, ["name", "createdAt"], "name:asc");
    if (!q.ok) return validationFailure(q.issues);
    const matching = resourceGroups.filter((g) => !q.value.search || g.name.toLowerCase().includes(q.value.search.toLowerCase()));
    const page = paginate(matching, q.value, (g, field) => (field === "name" ? g.name : SEEDED_AT));
    return ok(page.items.map(serializeResourceGroup), "Resource groups retrieved successfully", page.meta);
  });

  router.get(`${API_PREFIX}/resource-groups/:id`, (ctx) => {
    const group = findResourceGroup(ctx.params.id);
    return group ? ok(serializeResourceGroup(group), "Resource group retrieved successfully") : notFound("Resource group");
  });

  router.get(`${API_PREFIX}/resource/data-centers`, (ctx) => {
    const q = parseListQuery(ctx.query, ["name", "code"], "name:asc");
    if (!q.ok) return validationFailure(q.issues);
    const search = q.value.search?.toLowerCase();
    // Every emulated data center has GPUs, so gpuEnabled=false matches none.
    const gpuOnly = ctx.query.get("gpuEnabled");
    const matching = datacenters.filter(
      (dc) => gpuOnly !== "false" && (!search || dc.name.toLowerCase().includes(search) || dc.code.toLowerCase().includes(search)),
    );
    const page = paginate(matching, q.value, (dc, field) => (field === "code" ? dc.code : dc.name));
    const items = page.items.map((dc) => ({
      id: dc.id,
      name: dc.name,
      code: dc.code,
      regionName: dc.region,
      countryName: dc.country,
      countryAbbr: dc.countryAbbr,
      gpuEnabled: true,
    }));
    return ok(items, "Data centers retrieved successfully", page.meta);
  });
}
