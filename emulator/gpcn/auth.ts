/** GPCN API keys: `X-API-Key: <key>` or `Authorization: Bearer <key>` (API doc §1). */

import type { IncomingHttpHeaders } from "node:http";
import { apiKeyAuth, bearerToken, headerValue } from "../core/apiKeyAuth";
import { failure } from "./envelope";

export function apiKeyFrom(headers: IncomingHttpHeaders): string | undefined {
  return headerValue(headers, "x-api-key") ?? bearerToken(headers);
}

export function createAuth(apiKeys: readonly string[]) {
  return apiKeyAuth({
    apiKeys,
    keyFrom: apiKeyFrom,
    refuse: (_request, key) =>
      key === undefined ? failure(401, "Authentication required: provide an API key in the X-API-Key header") : failure(401, "Invalid or expired API key"),
  });
}
