/**
 * A tiny method + path router. Patterns use `:name` segments; a trailing slash on the request
 * path is tolerated. When several patterns match, the one with the most literal segments wins,
 * so `/things/search` beats `/things/:id` regardless of registration order.
 */

import type { IncomingHttpHeaders } from "node:http";

export interface RequestContext {
  method: string;
  /** Path without query string, as received. */
  path: string;
  /** The matched route pattern, e.g. `/v1/things/:id`. */
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body was empty. */
  body: unknown;
  remoteAddress: string;
}

export interface JsonReply {
  status: number;
  /** Serialised as JSON unless `contentType` says otherwise (then it must be a string). */
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

/** Tells the server to kill the connection without answering (emulates a lost response). */
export interface DropConnectionReply {
  dropConnection: true;
}

export type Reply = JsonReply | DropConnectionReply;

export type RouteHandler = (ctx: RequestContext) => Reply | Promise<Reply>;

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  literalCount: number;
  handler: RouteHandler;
}

export interface RouteMatch {
  pattern: string;
  params: Record<string, string>;
  handler: RouteHandler;
}

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    const segments = splitPath(pattern);
    this.routes.push({
      method: method.toUpperCase(),
      pattern,
      segments,
      literalCount: segments.filter((s) => !s.startsWith(":")).length,
      handler,
    });
    return this;
  }

  get(pattern: string, handler: RouteHandler): this {
    return this.add("GET", pattern, handler);
  }
  post(pattern: string, handler: RouteHandler): this {
    return this.add("POST", pattern, handler);
  }
  put(pattern: string, handler: RouteHandler): this {
    return this.add("PUT", pattern, handler);
  }
  delete(pattern: string, handler: RouteHandler): this {
    return this.add("DELETE", pattern, handler);
  }

  match(method: string, path: string): RouteMatch | undefined {
    const wanted = splitPath(path);
    let best: { route: Route; params: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase() || route.segments.length !== wanted.length) continue;
      const params = matchSegments(route.segments, wanted);
      if (params && (!best || route.literalCount > best.route.literalCount)) best = { route, params };
    }
    return best && { pattern: best.route.pattern, params: best.params, handler: best.route.handler };
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(actual[i]);
      } catch {
        return undefined; // malformed percent-encoding never matches
      }
    } else if (p !== actual[i]) {
      return undefined;
    }
  }
  return params;
}
