import { ValidationError } from "./errors";
import { resolveSettings, type CloudSettings, type CloudSpec, type ConfigSource } from "./settings";

// Every request carries the API key in a header. An endpoint override with plain http:// to
// another machine would send it in clear text over the network, so it is refused unless the user
// opts in; loopback (an emulator, an SSH tunnel) never leaves the machine and is allowed.
// Check refuses it first, naming the setting (endpointRefusal); the request sender refuses it too
// (assertSafeEndpoint), so no path that skips a resource's check (functions, a multicloud policy's
// offer look-ups, import) can send the key there either.

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The setting that holds the endpoint and why it must not be used; undefined when it is fine. */
export function endpointRefusal(spec: CloudSpec, config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): { setting: string; reason: string } | undefined {
  return insecureEndpoint(spec, resolveSettings(spec, config, env));
}

/** The same judgement on settings already resolved. */
export function insecureEndpoint(spec: CloudSpec, settings: CloudSettings): { setting: string; reason: string } | undefined {
  const override = settings.endpointOverride;
  if (!override) return undefined;
  const reason = endpointProblem(spec, override, settings.endpoint);
  return reason === undefined ? undefined : { setting: override.setting, reason };
}

/** Thrown by the request sender before it is built: nothing carrying the key goes to such an endpoint. */
export function assertSafeEndpoint(spec: CloudSpec, settings: CloudSettings): void {
  const refusal = insecureEndpoint(spec, settings);
  if (refusal) throw new ValidationError(`${spec.label}: ${refusal.reason}`, { cloud: spec.name });
}

function endpointProblem(spec: CloudSpec, override: NonNullable<CloudSettings["endpointOverride"]>, value: string): string | undefined {
  const { setting } = override;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${setting} is not a URL; give the API's base URL, e.g. ${spec.defaultEndpoint}`;
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol !== "http:") return `${setting} must be an https:// URL, got ${url.protocol}//`;
  if (isLoopback(url.hostname) || override.allowInsecure) return undefined;
  return (
    `${setting} is ${url.origin}: plain http:// to a host other than this machine would send the ${spec.label} API key in clear text. ` +
    `Use https://, or if the network is trusted opt in with \`pulumi config set ${override.optInKey} true\` ` +
    `(or ${spec.envPrefix}_ALLOW_INSECURE_ENDPOINT=true)`
  );
}
