/**
 * Fluence's two error shapes (shared/api/fluence.md §2): the GPU API (FastAPI) answers
 * `{detail: "…"}` for business errors and `{detail: [{type, loc, msg, input}]}` for 422; the main
 * platform API (SSH keys) answers `{code, error}`.
 */

import type { JsonReply } from "../core/router";
import type { ErrorBodies } from "../core/server";

export interface DetailIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

export const detail = (status: number, text: string): JsonReply => ({ status, body: { detail: text } });

export const validationDetail = (issues: DetailIssue[]): JsonReply => ({ status: 422, body: { detail: issues } });

export type MainApiCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unprocessable_entity"
  | "insufficient_balance"
  | "internal_server_error";

export const mainApiError = (status: number, code: MainApiCode, error: string): JsonReply => ({ status, body: { code, error } });

export const PLAN_GONE = "Plan is no longer available";
export const INSUFFICIENT_BALANCE = "Insufficient balance to deploy instance";

export const fluenceErrorBodies: ErrorBodies = {
  routeNotFound: () => ({ detail: "Not Found" }),
  rateLimited: (retryAfterSec) => ({ detail: `Rate limit exceeded. Try again in ${retryAfterSec} seconds.` }),
  serverError: () => ({ detail: "Internal Server Error" }),
  malformedBody: (reason) => ({ detail: reason }),
  internalError: (message) => ({ detail: `Internal Server Error: ${message}` }),
};
