/** GPCN API keys: `X-API-Key: <key>` or `Authorization: Bearer <key>` (API doc §1). */

import type { IncomingHttpHeaders } from "node:http";
import type { RequestInfo } from "../core/server";
import type { Reply } from "../core/router";
import { failure } from "./envelope";

export function apiKeyFrom(headers: IncomingHttpHeaders): string | undefined {
  const direct = headers["x-api-key"];
  if (typeof direct === "string" && direct.trim() !== "") return direct.trim();
  const auth = headers.authorization;
  const bearer = typeof auth === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return bearer?.[1];
}

export function createAuth(apiKeys: readonly string[]) {
  const valid = new Set(apiKeys);
  return {
    /** Rate limits are per user; unauthenticated callers are limited per IP (doc §3). */
    clientKey(request: RequestInfo): string {
      const key = apiKeyFrom(request.headers);
      return key !== undefined && valid.has(key) ? `key:${key}` : `ip:${request.remoteAddress}`;
    },
    guard(request: RequestInfo): Reply | undefined {
      const key = apiKeyFrom(request.headers);
      if (key === undefined) return failure(401, "Authentication required: provide an API key in the X-API-Key header");
      if (!valid.has(key)) return failure(401, "Invalid or expired API key");
      return undefined;
    },
  };
}
