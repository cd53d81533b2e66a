/**
 * GPCN response shapes (API doc §2): success envelope `{success,message,data,meta}`,
 * error shape A `{success:false,message,error:{code,statusCode,details}}`, rate-limit shape C,
 * and route-not-found shape D `{message:"Route Not Found"}`.
 */

import type { ErrorBodies } from "../core/server";
import type { JsonReply } from "../core/router";

export interface ValidationIssue {
  path: string;
  message: string;
}

const errorCodes: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Insufficient Permissions",
  404: "Not Found",
  409: "Conflict",
  422: "Validation Error",
  429: "Rate Limited",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export function ok(data: unknown, message = "Success", meta: unknown = null, status = 200): JsonReply {
  return { status, body: { success: true, message, data, meta } };
}

export function errorBody(status: number, message: string, details: unknown = null) {
  return { success: false, message, error: { code: errorCodes[status] ?? "Error", statusCode: status, details } };
}

export function failure(status: number, message: string, details: unknown = null): JsonReply {
  return { status, body: errorBody(status, message, details) };
}

export function validationFailure(issues: ValidationIssue[]): JsonReply {
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join(", ");
  return failure(422, `Invalid Parameters: ${summary}`, { issues });
}

export const notFound = (what: string): JsonReply => failure(404, `${what} not found`);

export const INVENTORY_DEPLETED =
  "Inventory depleted - The chosen GPU configuration is no longer available at this location. Please refresh the order page to get current inventory.";

export const PROVIDER_UNAVAILABLE = "GPU provider not available";

export const gpcnErrorBodies: ErrorBodies = {
  routeNotFound: () => ({ message: "Route Not Found" }),
  rateLimited: (retryAfterSec) => ({
    success: false,
    error: {
      code: "Rate Limited",
      message: `Too many requests. Please try again in ${retryAfterSec} seconds.`,
      retryAfter: retryAfterSec,
    },
  }),
  serverError: (status) => errorBody(status, status === 503 ? "Service temporarily unavailable" : "Internal server error"),
  malformedBody: (reason) => errorBody(400, reason),
  internalError: (message) => errorBody(500, `Internal server error: ${message}`),
};
