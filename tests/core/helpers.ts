import type { Transport, TransportRequest, TransportResponse } from "../../provider/core/transport";

/** One scripted step: a response, an error to throw, or a function of the request. */
export type Step = TransportResponse | Error | ((req: TransportRequest) => TransportResponse | Promise<TransportResponse>);

export interface ScriptedTransport {
  transport: Transport;
  /** Every request the sender made, with the fake time at which it was made. */
  calls: Array<{ req: TransportRequest; at: number }>;
}

/** A transport double that plays `steps` in order and records each request; no network. */
export function scripted(steps: Step[], fallback?: Step): ScriptedTransport {
  const queue = [...steps];
  const calls: ScriptedTransport["calls"] = [];
  const transport: Transport = async (req) => {
    calls.push({ req, at: Date.now() });
    const step = queue.length ? queue.shift()! : fallback;
    if (step === undefined) throw new Error(`script exhausted at request ${calls.length}: ${req.method} ${req.url}`);
    if (step instanceof Error) throw step;
    if (typeof step === "function") return step(req);
    return step;
  };
  return { transport, calls };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, text: JSON.stringify(body) };
}

/** An error as Node/undici raise them: a code, optionally a cause chain. */
export function netError(message: string, code?: string, cause?: unknown): Error {
  const err = new Error(message, cause === undefined ? undefined : { cause }) as Error & { code?: string };
  if (code) err.code = code;
  return err;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: any };

/** Attaches handlers at once (no unhandled rejection while fake time runs) and exposes the outcome. */
export function track<T>(p: Promise<T>): { readonly done: boolean; readonly result: Settled<T> | undefined; promise: Promise<Settled<T>> } {
  let result: Settled<T> | undefined;
  const promise = p.then(
    (value) => (result = { ok: true, value }),
    (error) => (result = { ok: false, error }),
  );
  return {
    get done() {
      return result !== undefined;
    },
    get result() {
      return result;
    },
    promise,
  };
}

/** Every string a user or a log could see from an error. */
export function visibleText(err: any): string {
  const parts: string[] = [String(err), String(err?.message), String(err?.stack)];
  try {
    parts.push(JSON.stringify(err));
  } catch {
    // circular: the other parts are enough
  }
  if (err?.cause !== undefined) parts.push(String(err.cause), String(err.cause?.message), String(err.cause?.stack));
  if (Array.isArray(err?.reasons)) parts.push(...err.reasons.map(String));
  return parts.join("\n");
}
