/** API-key checking every cloud emulator shares; each cloud says where the key is and how it refuses. */

import type { IncomingHttpHeaders } from "node:http";
import type { Reply, RequestContext } from "./router";
import type { RequestInfo } from "./server";

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const match = typeof auth === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return match?.[1];
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export interface ApiKeyAuthOptions {
  apiKeys: readonly string[];
  keyFrom(headers: IncomingHttpHeaders): string | undefined;
  /** The cloud's own answer to a missing (`key` undefined) or unknown key. */
  refuse(request: RequestInfo, key: string | undefined): Reply;
  /** Routes anyone may call (e.g. Nova's /search). */
  isPublic?(ctx: RequestContext): boolean;
}

export function apiKeyAuth(options: ApiKeyAuthOptions) {
  const valid = new Set(options.apiKeys);
  const known = (headers: IncomingHttpHeaders) => {
    const key = options.keyFrom(headers);
    return { key, ok: key !== undefined && valid.has(key) };
  };
  return {
    /** Rate limits count per key; callers without a valid key are counted per address. */
    clientKey(request: RequestInfo): string {
      const { key, ok } = known(request.headers);
      return ok ? `key:${key}` : `ip:${request.remoteAddress}`;
    },
    guard(ctx: RequestContext): Reply | undefined {
      if (options.isPublic?.(ctx)) return undefined;
      const { key, ok } = known(ctx.headers);
      return ok ? undefined : options.refuse(ctx, key);
    },
  };
}
