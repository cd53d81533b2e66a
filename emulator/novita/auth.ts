/** Novita API keys: `Authorization: Bearer <key>` only (shared/api/novita.md §1). */

import type { Reply } from "../core/router";
import type { RequestInfo } from "../core/server";
import { failure } from "./envelope";

export function bearerKey(headers: RequestInfo["headers"]): string | undefined {
  const auth = headers.authorization;
  const match = typeof auth === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return match?.[1];
}

export function createAuth(apiKeys: readonly string[]) {
  const valid = new Set(apiKeys);
  return {
    clientKey(request: RequestInfo): string {
      const key = bearerKey(request.headers);
      return key !== undefined && valid.has(key) ? `key:${key}` : `ip:${request.remoteAddress}`;
    },
    guard(request: RequestInfo): Reply | undefined {
      const key = bearerKey(request.headers);
      if (key === undefined) return failure("UNAUTHORIZED", "missing Authorization: Bearer <API key>");
      if (!valid.has(key)) return failure("UNAUTHORIZED", "invalid API key");
      return undefined;
    },
  };
}
