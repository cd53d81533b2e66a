/**
 * The HTTP front end shared by every cloud emulator: binds 127.0.0.1, routes requests, applies
 * the rate limiter and the generic fault bursts, parses JSON bodies, logs and counts requests,
 * and serves the `/_admin/*` routes (which are never rate-limited or faulted).
 *
 * Per request: admin? -> rate limiter -> connection-reset / 429 / 5xx bursts -> route match (404)
 * -> JSON body (400) -> guard (e.g. auth) -> handler.
 */

import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { buildAdminRouter, type AdminHooks } from "./adminRoutes";
import type { CoreFaultKnobs, FaultStore } from "./faults";
import type { ServerRateWindow } from "./serverRateWindow";
import { formatLogLine, RequestLog, type RequestLogEntry, type RequestStats } from "./requestLog";
import type { JsonReply, Reply, RequestContext, Router } from "./router";

/** Error bodies in the cloud's own wire format. */
export interface ErrorBodies {
  routeNotFound(): unknown;
  rateLimited(retryAfterSec: number): unknown;
  /** JSON body for an injected 5xx (HTML bursts use a generic proxy page instead). */
  serverError(status: number): unknown;
  malformedBody(reason: string): unknown;
  internalError(message: string): unknown;
}

/** What a route-less request looks like to `clientKey` and `guard`. */
export type RequestInfo = Pick<RequestContext, "method" | "path" | "headers" | "remoteAddress" | "query">;

export interface EmulatorServerOptions {
  /** 0 = pick a free port. */
  port?: number;
  host?: string;
  router: Router;
  errors: ErrorBodies;
  faults: FaultStore<CoreFaultKnobs>;
  rateWindow: ServerRateWindow;
  /** Rate-limit identity: usually the API key, else the remote address. */
  clientKey(request: RequestInfo): string;
  /** Runs after a route matched, before its handler; return a reply to stop there (e.g. 401). */
  guard?(ctx: RequestContext): Reply | undefined;
  admin?: AdminHooks;
  /** Receives one formatted line per request. */
  logger?: (line: string) => void;
}

export interface EmulatorServer {
  /** Origin, e.g. `http://127.0.0.1:12345` (no trailing slash, no API prefix). */
  origin: string;
  port: number;
  requests(): RequestLogEntry[];
  stats(): RequestStats;
  resetStats(): void;
  close(): Promise<void>;
}

interface Outcome {
  reply: Reply;
  route: string | null;
  fault?: string;
  headers: Record<string, string>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const log = new RequestLog();
  const stats = (): RequestStats => ({ ...log.counts(), faultsFired: options.faults.fired() });
  const resetStats = (): void => {
    log.reset();
    options.faults.resetCounters();
  };
  const adminRouter = buildAdminRouter({
    faults: options.faults,
    rateWindow: options.rateWindow,
    stats,
    resetStats,
    hooks: options.admin ?? {},
  });

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // Last resort: never leave a request hanging.
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify(options.errors.internalError(String(err))));
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const at = new Date().toISOString();
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const rawBody = await readBody(req);
    const info: RequestInfo = {
      method,
      path,
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? "unknown",
      query: url.searchParams,
    };
    const admin = path === "/_admin" || path.startsWith("/_admin/");
    const outcome = admin ? await answerAdmin(info, rawBody) : await answerApi(info, rawBody);
    const reply = outcome.reply;
    const dropped = "dropConnection" in reply;
    if ("dropConnection" in reply) dropConnection(req);
    else send(res, reply, outcome.headers);

    const entry = log.record({
      at,
      method,
      path,
      route: outcome.route,
      status: "dropConnection" in reply ? 0 : reply.status,
      dropped,
      durationMs: performance.now() - started,
      fault: outcome.fault,
      admin,
    });
    options.logger?.(formatLogLine(entry));
  }

  async function answerAdmin(info: RequestInfo, rawBody: string): Promise<Outcome> {
    const match = adminRouter.match(info.method, info.path);
    if (!match) return { reply: { status: 404, body: { message: "Unknown admin route" } }, route: null, headers: {} };
    const body = parseJson(rawBody);
    if (!body.ok) return { reply: { status: 400, body: { message: body.reason } }, route: match.pattern, headers: {} };
    const ctx: RequestContext = { ...info, route: match.pattern, params: match.params, body: body.value };
    return { reply: await match.handler(ctx), route: match.pattern, headers: {} };
  }

  async function answerApi(info: RequestInfo, rawBody: string): Promise<Outcome> {
    const match = options.router.match(info.method, info.path);
    const route = match?.pattern ?? null;
    const headers: Record<string, string> = {};
    const decision = options.rateWindow.check(options.clientKey(info));
    if (decision) {
      headers["X-RateLimit-Limit"] = String(decision.limit);
      headers["X-RateLimit-Remaining"] = String(decision.remaining);
      headers["X-RateLimit-Reset"] = String(decision.resetUnixSec);
    }
    if (decision && !decision.allowed) {
      headers["Retry-After"] = String(decision.retryAfterSec);
      const reply = { status: 429, body: options.errors.rateLimited(decision.retryAfterSec) };
      return { reply, route, headers, fault: "rateLimiter" };
    }

    const target = { method: info.method, path: info.path };
    if (options.faults.take("connectionResetBurst", target)) {
      return { reply: { dropConnection: true }, route, headers, fault: "connectionResetBurst" };
    }
    const burst429 = options.faults.take("rateLimitBurst", target);
    if (burst429) {
      headers["Retry-After"] = String(burst429.retryAfterSec);
      const reply = { status: 429, body: options.errors.rateLimited(burst429.retryAfterSec) };
      return { reply, route, headers, fault: "rateLimitBurst" };
    }
    const burst5xx = options.faults.take("serverErrorBurst", target);
    if (burst5xx) {
      const reply: JsonReply = burst5xx.html
        ? { status: burst5xx.status, body: proxyErrorPage(burst5xx.status), contentType: "text/html" }
        : { status: burst5xx.status, body: options.errors.serverError(burst5xx.status) };
      return { reply, route, headers, fault: "serverErrorBurst" };
    }

    if (!match) return { reply: { status: 404, body: options.errors.routeNotFound() }, route, headers };
    const body = parseJson(rawBody);
    if (!body.ok) return { reply: { status: 400, body: options.errors.malformedBody(body.reason) }, route, headers };
    const ctx: RequestContext = { ...info, route: match.pattern, params: match.params, body: body.value };
    const refused = options.guard?.(ctx);
    if (refused) return { reply: refused, route, headers };
    try {
      return { reply: await match.handler(ctx), route, headers };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { reply: { status: 500, body: options.errors.internalError(message) }, route, headers };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    origin: `http://${host}:${address.port}`,
    port: address.port,
    requests: () => log.entries(),
    stats,
    resetStats,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets (fetch keeps them open) would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

function parseJson(raw: string): Parsed {
  if (raw.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (err) {
    return { ok: false, reason: `Malformed JSON body: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function send(res: http.ServerResponse, reply: JsonReply, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...extraHeaders, ...(reply.headers ?? {}) };
  let payload = "";
  if (reply.body !== undefined && reply.status !== 204) {
    headers["Content-Type"] = reply.contentType ?? "application/json; charset=utf-8";
    payload = reply.contentType ? String(reply.body) : JSON.stringify(reply.body);
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Kills the TCP connection with a RST so the client sees ECONNRESET and no response. */
function dropConnection(req: http.IncomingMessage): void {
  const socket = req.socket;
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}

function proxyErrorPage(status: number): string {
  const title = `${status} ${http.STATUS_CODES[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
