import { assertSafeEndpoint } from "./endpointSafety";
import type { ErrorKind, ParsedErrorBody } from "./errors";
import { logProgress } from "./progressLog";
import { sharedRateLimiter } from "./rateLimiter";
import { RequestSender, RequestSenderConfig } from "./requestSender";
import { CloudSettings, CloudSpec, requireApiKey } from "./settings";

/** What a cloud's client tells the core: its spec, how a key is sent, and its own meanings of errors. */
export interface ClientSpec extends CloudSpec {
  /** Auth strategy: the headers that carry a key. */
  authHeaders(apiKey: string): Record<string, string>;
  /** The cloud's meanings on top of the status codes; undefined leaves the status to decide. */
  classifyError(status: number, parsed: ParsedErrorBody): ErrorKind | undefined;
}

/**
 * The request sender of one cloud account, built the same way for every cloud: errors carry the
 * spec's lower-case name in `cloud`, messages start with its label, the rate budget is shared by
 * every client of that endpoint and key in the process. `public` reads routes that need no key
 * (Nova's /search): no key is asked for or sent, and they have their own budget. A key is never
 * handed to an endpoint that endpointSafety.ts refuses.
 */
export function requestSenderFor(
  spec: ClientSpec,
  settings: CloudSettings,
  overrides: Partial<RequestSenderConfig> = {},
  access: "withKey" | "public" = "withKey",
): RequestSender {
  if (access === "withKey") assertSafeEndpoint(spec, settings);
  const apiKey = access === "public" ? "" : requireApiKey(spec, settings);
  return new RequestSender({
    cloud: spec.name,
    label: spec.label,
    baseUrl: settings.endpoint,
    apiKey,
    authHeaders: access === "public" ? () => ({}) : (key) => spec.authHeaders(key),
    limiter: sharedRateLimiter(spec.name, settings.endpoint, access === "public" ? "(public)" : apiKey, settings.rateBudget),
    classifyError: (status, parsed) => spec.classifyError(status, parsed),
    log: (m) => logProgress("info", m),
    ...overrides,
  });
}
