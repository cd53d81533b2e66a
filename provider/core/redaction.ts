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

/** Rewrites message, stack and the cloud's own words of an error in place (keeps its class and other fields) and drops `cause`. */
export function redactError<E>(err: E, secrets: Array<string | undefined>): E {
  if (err && typeof err === "object") {
    const e = err as any;
    for (const field of ["message", "stack", "cloudMessage"] as const) {
      if (typeof e[field] !== "string") continue;
      const clean = redact(e[field], secrets);
      if (clean === e[field]) continue;
      // Some errors (DOMException: AbortError) have a getter-only message; assigning it throws.
      try {
        e[field] = clean;
      } catch {
        Object.defineProperty(e, field, { value: clean, writable: true, configurable: true });
      }
    }
    if ("cause" in e) delete e.cause;
    if (Array.isArray(e.reasons)) e.reasons = e.reasons.map((r: unknown) => redact(String(r), secrets));
  }
  return err;
}
