/**
 * Nova's wire errors (nova.md §2): `{"detail": "<message>"}`, and for request validation the
 * FastAPI list form `{"detail": [{type, loc, msg, input}]}` with status 422.
 */

import type { JsonReply } from "../core/router";
import type { ErrorBodies } from "../core/server";

export interface FieldError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export const detail = (status: number, message: string, headers?: Record<string, string>): JsonReply => ({ status, body: { detail: message }, headers });

export const invalid = (errors: FieldError[]): JsonReply => ({ status: 422, body: { detail: errors } });

export const notFound = (what: string): JsonReply => detail(404, `${what} not found`);

export const novaErrorBodies: ErrorBodies = {
  // FastAPI's answer for a path it has no route for.
  routeNotFound: () => ({ detail: "Not Found" }),
  rateLimited: (retryAfterSec) => ({ detail: `Rate limit exceeded. Try again in ${retryAfterSec} seconds.` }),
  serverError: (status) => ({ detail: status === 503 ? "Service Unavailable" : "Internal Server Error" }),
  malformedBody: (reason) => ({ detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", ctx: { error: reason } }] }),
  internalError: (message) => ({ detail: `Internal Server Error: ${message}` }),
};
