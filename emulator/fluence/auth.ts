/**
 * `X-API-KEY: <key>` on every request (documented). The GPU API answers a missing or unknown key
 * with 403 `{detail}`; the main API with 401 `{code:"unauthorized", error}`.
 */

import { apiKeyAuth, headerValue } from "../core/apiKeyAuth";
import { detail, mainApiError } from "./envelope";

export function createAuth(apiKeys: readonly string[]) {
  return apiKeyAuth({
    apiKeys,
    keyFrom: (headers) => headerValue(headers, "x-api-key"),
    refuse: (request, key) =>
      request.path.startsWith("/v1/")
        ? mainApiError(401, "unauthorized", "Auth failed. No such API key")
        : detail(403, key === undefined ? "Not authenticated: X-API-KEY header missing" : "Invalid API key"),
  });
}
