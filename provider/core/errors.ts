// One error hierarchy for every cloud. An error answer of a cloud becomes one through
// `errorFromResponse` (its message built here, once); adapters also construct these classes for
// what they find themselves (no stock in a listing, a wait that failed, bad adoption), with the
// cloud's spec name in `cloud`. Code decides by the fields (kind, status, code, cloudMessage),
// never by parsing a message.

export type ErrorKind =
  | "validation"
  | "auth"
  | "permission"
  | "notFound"
  | "conflict"
  | "capacity"
  | "quota"
  | "rateLimit"
  | "server"
  | "connection"
  | "unexpectedResponse";

export interface FieldIssue {
  path: string;
  message: string;
}

export interface GpuCloudErrorDetails {
  /** The spec's lower-case name: "gpcn", "novita"; "multicloud" for errors of multicloud:GpuVm. */
  cloud: string;
  status?: number;
  code?: string;
  requestId?: string;
  method?: string;
  path?: string;
  issues?: FieldIssue[];
  retryAfterMs?: number;
  /** For connection errors: the request may have reached the cloud. */
  maybeProcessed?: boolean;
  /** The cloud's own words from its error answer, as it sent them (no request line, no status). */
  cloudMessage?: string;
}

export class GpuCloudError extends Error {
  readonly kind: ErrorKind = "server";
  readonly cloud: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly issues: FieldIssue[];
  readonly retryAfterMs?: number;
  readonly maybeProcessed: boolean;
  readonly cloudMessage?: string;

  constructor(message: string, details: GpuCloudErrorDetails) {
    super(message);
    this.name = new.target.name;
    this.cloud = details.cloud;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.issues = details.issues ?? [];
    this.retryAfterMs = details.retryAfterMs;
    this.maybeProcessed = details.maybeProcessed ?? false;
    this.cloudMessage = details.cloudMessage;
  }
}

export class ValidationError extends GpuCloudError { override readonly kind = "validation" as const; }
export class AuthError extends GpuCloudError { override readonly kind = "auth" as const; }
export class PermissionError extends GpuCloudError { override readonly kind = "permission" as const; }
export class NotFoundError extends GpuCloudError { override readonly kind = "notFound" as const; }
export class ConflictError extends GpuCloudError { override readonly kind = "conflict" as const; }
/** Out of stock / provider unavailable: ends any wait at once and is never retried blindly. */
export class CapacityError extends GpuCloudError { override readonly kind = "capacity" as const; }
/** Account limits: balance, max VMs, max spend, key count. */
export class QuotaError extends GpuCloudError { override readonly kind = "quota" as const; }
export class RateLimitError extends GpuCloudError { override readonly kind = "rateLimit" as const; }
export class ServerError extends GpuCloudError { override readonly kind = "server" as const; }
export class ConnectionError extends GpuCloudError { override readonly kind = "connection" as const; }
export class UnexpectedResponseError extends GpuCloudError { override readonly kind = "unexpectedResponse" as const; }

const classByKind: Record<ErrorKind, new (m: string, d: GpuCloudErrorDetails) => GpuCloudError> = {
  validation: ValidationError,
  auth: AuthError,
  permission: PermissionError,
  notFound: NotFoundError,
  conflict: ConflictError,
  capacity: CapacityError,
  quota: QuotaError,
  rateLimit: RateLimitError,
  server: ServerError,
  connection: ConnectionError,
  unexpectedResponse: UnexpectedResponseError,
};

export function kindForStatus(status: number): ErrorKind {
  if (status === 400 || status === 422) return "validation";
  if (status === 401) return "auth";
  if (status === 402) return "quota";
  if (status === 403) return "permission";
  if (status === 404 || status === 410) return "notFound";
  if (status === 409) return "conflict";
  if (status === 429) return "rateLimit";
  return "server";
}

/** What a cloud adapter extracts from one error body; every field optional. */
export interface ParsedErrorBody {
  message?: string;
  code?: string;
  issues?: FieldIssue[];
  retryAfterSec?: number;
  /** Overrides the status-based class (e.g. GPCN 409 inventory depleted → capacity). */
  kind?: ErrorKind;
}

export interface ErrorResponse {
  /** The spec's name, kept in the error's `cloud` field. */
  cloud: string;
  /** The human name the message starts with ("Novita"); the spec's name when absent. */
  label?: string;
  status: number;
  method: string;
  path: string;
  body: unknown; // parsed JSON, or the raw text when the body was not JSON
  requestId?: string;
  retryAfterMs?: number;
}

/**
 * Reads the error shapes the four clouds use (shared/api/*.md), so adapters only add what is
 * truly theirs through `classify`.
 */
export function parseCommonErrorBody(body: unknown): ParsedErrorBody {
  if (typeof body === "string") {
    const text = body.trim();
    if (!text) return {};
    if (/^<(!doctype|html)/i.test(text)) {
      const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
      return { message: title ? `non-JSON error page: ${title}` : "non-JSON error page" };
    }
    return { message: text.length > 300 ? text.slice(0, 300) + "…" : text };
  }
  if (!body || typeof body !== "object") return {};
  const b = body as Record<string, any>;
  const out: ParsedErrorBody = {};
  const err = b.error;
  if (err && typeof err === "object") {
    if (typeof err.code === "string") out.code = err.code;
    if (typeof err.message === "string") out.message = err.message;
    if (typeof err.retryAfter === "number") out.retryAfterSec = err.retryAfter;
    const issues = err.details?.issues;
    if (Array.isArray(issues)) {
      out.issues = issues.map((i: any) => ({ path: String(i.path ?? i.field ?? ""), message: String(i.message ?? i.msg ?? "") }));
    }
  } else if (typeof err === "string") {
    if (typeof b.message === "string") out.code = err; // GPCN guide shape: error = code
    else out.message = err; // {code, error} envelope: error = text
  }
  if (typeof b.message === "string" && b.message) out.message = b.message; // top-level message wins (GPCN rule)
  if (typeof b.reason === "string" && !out.code) out.code = b.reason; // {code, reason, message}
  if (typeof b.code === "string" && !out.code) out.code = b.code;
  const detail = b.detail;
  if (typeof detail === "string") out.message = out.message ?? detail;
  else if (Array.isArray(detail)) {
    out.issues = detail.map((d: any) => ({
      path: Array.isArray(d.loc) ? d.loc.filter((p: unknown) => p !== "body").join(".") : String(d.loc ?? ""),
      message: String(d.msg ?? d.message ?? ""),
    }));
    out.message = out.message ?? out.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  }
  return out;
}

export function errorFromResponse(
  res: ErrorResponse,
  classify?: (status: number, parsed: ParsedErrorBody) => ErrorKind | undefined,
): GpuCloudError {
  const parsed = parseCommonErrorBody(res.body);
  const kind = classify?.(res.status, parsed) ?? parsed.kind ?? kindForStatus(res.status);
  const retryAfterMs = res.retryAfterMs ?? (parsed.retryAfterSec !== undefined ? parsed.retryAfterSec * 1000 : undefined);
  const words = parsed.message || `HTTP ${res.status}`;
  const issues = parsed.issues ?? [];
  const issueText = issues.length && !issues.every((i) => words.includes(i.message))
    ? ` (${issues.map((i) => `${i.path}: ${i.message}`).join("; ")})`
    : "";
  const tail = [`HTTP ${res.status}`, parsed.code && `code ${parsed.code}`, res.requestId && `request id ${res.requestId}`]
    .filter(Boolean)
    .join(", ");
  const message = `${res.label ?? res.cloud}: ${res.method} ${res.path} failed: ${words}${issueText} [${tail}]`;
  return new classByKind[kind](message, {
    cloud: res.cloud,
    status: res.status,
    code: parsed.code,
    requestId: res.requestId,
    issues,
    retryAfterMs,
    cloudMessage: parsed.message,
  });
}

/** `label` is the human name the message starts with; the spec's `cloud` name when absent. */
export function connectionError(cloud: string, method: string, path: string, cause: unknown, maybeProcessed: boolean, label = cloud): ConnectionError {
  const code = (cause as { code?: string })?.code;
  const why = code ? `${code}` : cause instanceof Error ? cause.message : String(cause);
  return new ConnectionError(
    `${label}: ${method} ${path} failed: connection error (${why})${maybeProcessed ? "; the request may have reached the cloud" : ""}`,
    { cloud, code, maybeProcessed },
  );
}

export function isKind(err: unknown, kind: ErrorKind): boolean {
  return err instanceof GpuCloudError && err.kind === kind;
}
