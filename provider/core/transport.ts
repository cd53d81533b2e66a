import type { Dispatcher } from "undici";

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Sends one HTTP exchange; throws on connection failure. Swapped for a scripted double in tests. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

let agent: Dispatcher | undefined;

// One keep-alive pool per process: the host serves every resource of a stack.
function sharedAgent(): Dispatcher {
  if (!agent) {
    const { Agent } = require("undici") as typeof import("undici");
    agent = new Agent({ keepAliveTimeout: 4_000, connections: 64 });
  }
  return agent;
}

export async function closeSharedAgent(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

export const undiciTransport: Transport = async (req) => {
  const { request } = require("undici") as typeof import("undici");
  const res = await request(req.url, {
    method: req.method as Dispatcher.HttpMethod,
    headers: req.headers,
    body: req.body,
    dispatcher: sharedAgent(),
    headersTimeout: req.timeoutMs,
    bodyTimeout: req.timeoutMs,
    signal: req.signal,
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return { status: res.statusCode, headers, text: await res.body.text() };
};

// Failures that happen before a byte of the request left this machine: safe to resend anything.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH"]);

export function requestWasNotSent(err: unknown): boolean {
  let e: any = err;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause) {
    if (typeof e.code === "string" && NOT_SENT_CODES.has(e.code)) return true;
  }
  return false;
}
