/**
 * Novita's error envelope `{code, reason, message, metadata}` (shared/api/novita.md §2): `code`
 * repeats the HTTP status, `reason` is an UPPER_SNAKE name, and most reasons answer HTTP 400.
 */

import type { JsonReply } from "../core/router";
import type { ErrorBodies } from "../core/server";

export const reasonStatus: Record<string, number> = {
  UNKNOWN: 500,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMIT_EXCEEDED: 429,
  SEND_CODE_TOO_FAST: 429,
  WALLET_NOT_FOUND: 500,
};

export function errorBody(reason: string, message: string, metadata: Record<string, unknown> = {}, status = reasonStatus[reason] ?? 400) {
  return { code: status, reason, message, metadata };
}

export function failure(reason: string, message: string, metadata: Record<string, unknown> = {}, status?: number): JsonReply {
  const body = errorBody(reason, message, metadata, status);
  return { status: body.code, body };
}

/** Novita answers mutations with `{}` (documented); callers pick another shape where live clients saw one. */
export const ok = (body: unknown = {}, status = 200): JsonReply => ({ status, body });

export const INVALID_STATE_CHANGE = "invalid state change";

export const novitaErrorBodies: ErrorBodies = {
  routeNotFound: () => errorBody("NOT_FOUND", "page not found", {}, 404),
  rateLimited: (retryAfterSec) => errorBody("RATE_LIMIT_EXCEEDED", `rate limit exceeded, retry after ${retryAfterSec}s`),
  serverError: (status) => errorBody("UNKNOWN", status === 503 ? "service unavailable" : "internal error", {}, status),
  malformedBody: (reason) => errorBody("REQUEST", reason),
  internalError: (message) => errorBody("UNKNOWN", `internal error: ${message}`, {}, 500),
};
