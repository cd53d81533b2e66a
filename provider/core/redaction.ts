// Secrets must never reach state, logs or error text; every error leaving the provider passes here.

const MIN_SECRET_LENGTH = 4;

export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < MIN_SECRET_LENGTH) continue;
    out = out.split(s).join("[redacted]");
  }
  return out;
}

/** Rewrites message and stack of an error in place (keeps its class and fields) and drops `cause`. */
export function redactError<E>(err: E, secrets: Array<string | undefined>): E {
  if (err && typeof err === "object") {
    const e = err as any;
    if (typeof e.message === "string") e.message = redact(e.message, secrets);
    if (typeof e.stack === "string") e.stack = redact(e.stack, secrets);
    if ("cause" in e) delete e.cause;
    if (Array.isArray(e.reasons)) e.reasons = e.reasons.map((r: unknown) => redact(String(r), secrets));
  }
  return err;
}
