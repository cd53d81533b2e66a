/**
 * `X-API-KEY: <key>` on every request (documented). The GPU API answers a missing or unknown key
 * with 403 `{detail}`; the main API with 401 `{code:"unauthorized", error}`.
 */

import type { IncomingHttpHeaders } from "node:http";
import type { Reply } from "../core/router";
import type { RequestInfo } from "../core/server";
import { detail, mainApiError } from "./envelope";

function apiKeyFrom(headers: IncomingHttpHeaders): string | undefined {
  const key = headers["x-api-key"];
  return typeof key === "string" && key.trim() !== "" ? key.trim() : undefined;
}

export function createAuth(apiKeys: readonly string[]) {
  const valid = new Set(apiKeys);
  return {
    clientKey(request: RequestInfo): string {
      const key = apiKeyFrom(request.headers);
      return key !== undefined && valid.has(key) ? `key:${key}` : `ip:${request.remoteAddress}`;
    },
    guard(request: RequestInfo): Reply | undefined {
      const key = apiKeyFrom(request.headers);
      if (key !== undefined && valid.has(key)) return undefined;
      if (request.path.startsWith("/v1/")) return mainApiError(401, "unauthorized", "Auth failed. No such API key");
      return detail(403, key === undefined ? "Not authenticated: X-API-KEY header missing" : "Invalid API key");
    },
  };
}
