import {
  AuthError,
  CapacityError,
  ConflictError,
  connectionError,
  ConnectionError,
  errorFromResponse,
  ErrorResponse,
  GpuCloudError,
  isKind,
  kindForStatus,
  NotFoundError,
  parseCommonErrorBody,
  PermissionError,
  QuotaError,
  RateLimitError,
  ServerError,
  UnexpectedResponseError,
  ValidationError,
} from "../../provider/core/errors";

const res = (status: number, body: unknown, extra: Partial<ErrorResponse> = {}): ErrorResponse => ({
  cloud: "GPCN",
  status,
  method: "POST",
  path: "/resource/gpu",
  body,
  ...extra,
});

describe("kindForStatus", () => {
  test.each([
    [400, "validation"],
    [422, "validation"],
    [401, "auth"],
    [402, "quota"],
    [403, "permission"],
    [404, "notFound"],
    [410, "notFound"],
    [409, "conflict"],
    [429, "rateLimit"],
    [500, "server"],
    [502, "server"],
    [503, "server"],
    [408, "server"],
  ])("%i → %s", (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});

describe("GPCN bodies (shared/api/gpcn.md §2)", () => {
  test("shape A 422: top-level message, error.code, issues; issues already in the message are not repeated", () => {
    const body = {
      success: false,
      message: "Invalid Parameters: name: Name is required",
      error: { code: "Validation Error", statusCode: 422, details: { issues: [{ path: "name", message: "Name is required" }] } },
    };
    const err = errorFromResponse(res(422, body, { requestId: "corr-1" }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toBeInstanceOf(GpuCloudError);
    expect(err).toBeInstanceOf(Error);
    expect(err.kind).toBe("validation");
    expect(err.name).toBe("ValidationError");
    expect(err.code).toBe("Validation Error");
    expect(err.issues).toEqual([{ path: "name", message: "Name is required" }]);
    expect(err.requestId).toBe("corr-1");
    expect(err.message).toBe("GPCN: POST /resource/gpu failed: Invalid Parameters: name: Name is required [HTTP 422, code Validation Error, request id corr-1]");
  });

  test("issues that the message does not mention are appended", () => {
    const body = {
      success: false,
      message: "Invalid Parameters",
      error: { code: "Validation Error", details: { issues: [{ path: "gpuCount", message: "must be 1, 2, 4 or 8" }, { path: "name", message: "too long" }] } },
    };
    const err = errorFromResponse(res(422, body));
    expect(err.message).toBe("GPCN: POST /resource/gpu failed: Invalid Parameters (gpuCount: must be 1, 2, 4 or 8; name: too long) [HTTP 422, code Validation Error]");
  });

  test("shape A 403 with details null", () => {
    const body = { success: false, message: "You do not have permission to perform this action.", error: { code: "Insufficient Permissions", statusCode: 403, details: null } };
    const err = errorFromResponse(res(403, body));
    expect(err).toBeInstanceOf(PermissionError);
    expect(err.issues).toEqual([]);
    expect(err.message).toContain("You do not have permission to perform this action.");
    expect(err.code).toBe("Insufficient Permissions");
  });

  test("shape C 429: error.message and error.retryAfter seconds", () => {
    const body = { success: false, error: { code: "Rate Limited", message: "Too many requests. Please try again in 14 minutes.", retryAfter: 840 } };
    const err = errorFromResponse(res(429, body));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(840_000);
    expect(err.code).toBe("Rate Limited");
    expect(err.message).toBe("GPCN: POST /resource/gpu failed: Too many requests. Please try again in 14 minutes. [HTTP 429, code Rate Limited]");
  });

  test("the Retry-After header beats the body's retryAfter", () => {
    const body = { success: false, error: { code: "Rate Limited", message: "slow", retryAfter: 840 } };
    expect(errorFromResponse(res(429, body, { retryAfterMs: 3_000 })).retryAfterMs).toBe(3_000);
    expect(errorFromResponse(res(429, body, { retryAfterMs: 0 })).retryAfterMs).toBe(0);
  });

  test('shape D {"message":"Route Not Found"}', () => {
    const err = errorFromResponse(res(404, { message: "Route Not Found" }, { method: "GET", path: "/resource/gpux" }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBeUndefined();
    expect(err.message).toBe("GPCN: GET /resource/gpux failed: Route Not Found [HTTP 404]");
  });

  test("old guide shape: error is the code string, message the text", () => {
    const err = errorFromResponse(res(429, { success: false, error: "RATE_LIMIT_EXCEEDED", message: "Rate limit exceeded" }));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.code).toBe("RATE_LIMIT_EXCEEDED");
    expect(err.message).toBe("GPCN: POST /resource/gpu failed: Rate limit exceeded [HTTP 429, code RATE_LIMIT_EXCEEDED]");
    const auth = errorFromResponse(res(401, { success: false, error: "INVALID_CREDENTIALS", message: "Invalid credentials" }));
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth.code).toBe("INVALID_CREDENTIALS");
  });

  test("409 inventory depleted becomes capacity through classify; it keeps its message", () => {
    const body = { success: false, message: "Inventory depleted - The chosen GPU configuration is no longer available at this location.", error: { code: "Conflict", statusCode: 409 } };
    expect(errorFromResponse(res(409, body))).toBeInstanceOf(ConflictError);
    const classify = jest.fn((status: number, p: { message?: string }) => (status === 409 && /depleted/i.test(p.message ?? "") ? ("capacity" as const) : undefined));
    const err = errorFromResponse(res(409, body), classify);
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.kind).toBe("capacity");
    expect(err.status).toBe(409);
    expect(err.message).toContain("Inventory depleted");
    expect(classify).toHaveBeenCalledWith(409, expect.objectContaining({ code: "Conflict" }));
  });

  test("a classify returning undefined falls back to the status", () => {
    expect(errorFromResponse(res(402, { message: "Insufficient balance" }), () => undefined)).toBeInstanceOf(QuotaError);
  });

  test("an HTML proxy page: its title, never the whole page", () => {
    const page = "<!DOCTYPE html>\n<html><head><title> 502 Bad Gateway </title></head><body><center>nginx</center>" + "x".repeat(5000) + "</body></html>";
    const err = errorFromResponse(res(502, page));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.message).toBe("GPCN: POST /resource/gpu failed: non-JSON error page: 502 Bad Gateway [HTTP 502]");
    expect(errorFromResponse(res(503, "<html><body>down</body></html>")).message).toContain("failed: non-JSON error page [HTTP 503]");
  });

  test("plain text bodies are kept, long ones cut at 300 characters", () => {
    expect(errorFromResponse(res(500, "upstream timeout")).message).toContain("failed: upstream timeout [HTTP 500]");
    const long = "e".repeat(1_000);
    const msg = errorFromResponse(res(500, long)).message;
    expect(msg).toContain("e".repeat(300) + "…");
    expect(msg).not.toContain("e".repeat(301));
  });

  test("an empty or absent body says the status", () => {
    expect(errorFromResponse(res(500, undefined)).message).toBe("GPCN: POST /resource/gpu failed: HTTP 500 [HTTP 500]");
    expect(errorFromResponse(res(500, "   ")).message).toBe("GPCN: POST /resource/gpu failed: HTTP 500 [HTTP 500]");
    expect(errorFromResponse(res(500, null)).message).toBe("GPCN: POST /resource/gpu failed: HTTP 500 [HTTP 500]");
    expect(errorFromResponse(res(500, 42)).message).toBe("GPCN: POST /resource/gpu failed: HTTP 500 [HTTP 500]");
  });
});

describe("Nova and Fluence (FastAPI) bodies", () => {
  test('{"detail": "text"}', () => {
    const err = errorFromResponse(res(400, { detail: "Insufficient balance. Required: $10.00, Available: $5.50" }, { cloud: "Nova", path: "/vms" }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe("Nova: POST /vms failed: Insufficient balance. Required: $10.00, Available: $5.50 [HTTP 400]");
  });

  test('{"detail":[{loc,msg,type}]}: issues with "body" dropped from the path', () => {
    const body = {
      detail: [
        { type: "value_error", loc: ["body", "container_settings", "expose", 0, "port"], msg: "Value error, Port must be between 1 and 65535", input: "999999999", ctx: { error: {} } },
        { type: "greater_than_equal", loc: ["body", "storage_gb"], msg: "Input should be greater than or equal to 50" },
      ],
    };
    const err = errorFromResponse(res(422, body, { cloud: "Fluence", path: "/gpu/instances/vms" }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual([
      { path: "container_settings.expose.0.port", message: "Value error, Port must be between 1 and 65535" },
      { path: "storage_gb", message: "Input should be greater than or equal to 50" },
    ]);
    expect(err.message).toBe(
      "Fluence: POST /gpu/instances/vms failed: container_settings.expose.0.port: Value error, Port must be between 1 and 65535; storage_gb: Input should be greater than or equal to 50 [HTTP 422]",
    );
  });

  test("query and path locations are kept", () => {
    const parsed = parseCommonErrorBody({ detail: [{ loc: ["query", "limit"], msg: "too big", type: "x" }] });
    expect(parsed.issues).toEqual([{ path: "query.limit", message: "too big" }]);
  });

  test('{"detail":"Not Found"} 404', () => {
    expect(errorFromResponse(res(404, { detail: "Not Found" }))).toBeInstanceOf(NotFoundError);
  });
});

describe("Novita and Fluence main API bodies", () => {
  test("Novita {code, reason, message, metadata}: reason is the code, the numeric code is ignored", () => {
    const body = { code: 400, reason: "INSUFFICIENT_RESOURCE", message: "no GPUs left in this cluster", metadata: {} };
    const err = errorFromResponse(res(400, body, { cloud: "Novita", path: "/gpu/instance/create" }));
    expect(err.code).toBe("INSUFFICIENT_RESOURCE");
    expect(err.message).toBe("Novita: POST /gpu/instance/create failed: no GPUs left in this cluster [HTTP 400, code INSUFFICIENT_RESOURCE]");
    const cap = errorFromResponse(res(400, body), (_s, p) => (p.code === "INSUFFICIENT_RESOURCE" ? "capacity" : undefined));
    expect(cap).toBeInstanceOf(CapacityError);
  });

  test("Fluence main API {code, error}: error is the text, code the code", () => {
    const err = errorFromResponse(res(400, { code: "insufficient_balance", error: "Not enough balance" }, { cloud: "Fluence", path: "/ssh_keys" }));
    expect(err.code).toBe("insufficient_balance");
    expect(err.message).toBe("Fluence: POST /ssh_keys failed: Not enough balance [HTTP 400, code insufficient_balance]");
  });

  test('Fluence draft {"error":"Auth failed. No such API Key"}', () => {
    const err = errorFromResponse(res(401, { error: "Auth failed. No such API Key" }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.code).toBeUndefined();
    expect(err.message).toContain("failed: Auth failed. No such API Key [HTTP 401]");
  });
});

describe("parseCommonErrorBody", () => {
  test("top-level message wins over error.message (GPCN rule)", () => {
    expect(parseCommonErrorBody({ message: "top", error: { message: "inner", code: "C" } })).toEqual({ message: "top", code: "C" });
  });

  test("an empty top-level message does not hide error.message", () => {
    expect(parseCommonErrorBody({ message: "", error: { message: "inner" } }).message).toBe("inner");
  });

  test("issues read path/field and message/msg", () => {
    const parsed = parseCommonErrorBody({ error: { details: { issues: [{ field: "name", msg: "short" }, { path: "x", message: "bad" }] } } });
    expect(parsed.issues).toEqual([
      { path: "name", message: "short" },
      { path: "x", message: "bad" },
    ]);
  });
});

describe("connectionError and isKind", () => {
  test("names the code when there is one, else the cause's message", () => {
    const withCode = connectionError("Nova", "GET", "/vms", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), false);
    expect(withCode).toBeInstanceOf(ConnectionError);
    expect(withCode.kind).toBe("connection");
    expect(withCode.code).toBe("ECONNREFUSED");
    expect(withCode.maybeProcessed).toBe(false);
    expect(withCode.message).toBe("Nova: GET /vms failed: connection error (ECONNREFUSED)");

    const noCode = connectionError("Nova", "POST", "/vms", new Error("socket hang up"), true);
    expect(noCode.maybeProcessed).toBe(true);
    expect(noCode.message).toBe("Nova: POST /vms failed: connection error (socket hang up); the request may have reached the cloud");
    expect(connectionError("Nova", "GET", "/x", "weird", false).message).toContain("(weird)");
  });

  test("isKind checks the class family", () => {
    const nf = errorFromResponse(res(404, {}));
    expect(isKind(nf, "notFound")).toBe(true);
    expect(isKind(nf, "server")).toBe(false);
    expect(isKind(new Error("x"), "server")).toBe(false);
    expect(isKind(undefined, "server")).toBe(false);
    expect(new UnexpectedResponseError("x", { cloud: "c" }).kind).toBe("unexpectedResponse");
    expect(new GpuCloudError("x", { cloud: "c" }).maybeProcessed).toBe(false);
  });
});
