/** Nova auth (nova.md §1): `Authorization: Bearer <token>`; /search and /pricing are public. */

import { apiKeyAuth, bearerToken } from "../core/apiKeyAuth";
import { detail } from "./errors";

export { bearerToken };

const PUBLIC_ROUTES = new Set(["/search", "/pricing"]);

export function createAuth(apiKeys: readonly string[]) {
  return apiKeyAuth({
    apiKeys,
    keyFrom: bearerToken,
    isPublic: (ctx) => PUBLIC_ROUTES.has(ctx.route),
    refuse: (_request, key) =>
      detail(401, key === undefined ? "Not authenticated" : "Invalid or expired token", { "WWW-Authenticate": "Bearer" }),
  });
}
