/** Nova auth (nova.md §1): `Authorization: Bearer <token>`; /search and /pricing are public. */

import type { IncomingHttpHeaders } from "node:http";
import type { Reply, RequestContext } from "../core/router";
import type { RequestInfo } from "../core/server";
import { detail } from "./errors";

const PUBLIC_ROUTES = new Set(["/search", "/pricing"]);

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const match = typeof auth === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return match?.[1];
}

export function createAuth(apiKeys: readonly string[]) {
  const valid = new Set(apiKeys);
  return {
    /** Limits are per user (documented); anonymous callers are counted per IP. */
    clientKey(request: RequestInfo): string {
      const key = bearerToken(request.headers);
      return key !== undefined && valid.has(key) ? `key:${key}` : `ip:${request.remoteAddress}`;
    },
    guard(ctx: RequestContext): Reply | undefined {
      if (PUBLIC_ROUTES.has(ctx.route)) return undefined;
      const key = bearerToken(ctx.headers);
      if (key === undefined) return detail(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });
      if (!valid.has(key)) return detail(401, "Invalid or expired token", { "WWW-Authenticate": "Bearer" });
      return undefined;
    },
  };
}
