import { ConfigSource, readSetting, type CloudSpec } from "./settings";

// Every request carries the API key in a header. An endpoint override with plain http:// to
// another machine would send it in clear text over the network, so it is refused unless the user
// opts in; loopback (an emulator, an SSH tunnel) never leaves the machine and is allowed.

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The setting that holds the endpoint and why it must not be used; undefined when it is fine. */
export function endpointRefusal(spec: CloudSpec, config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): { setting: string; reason: string } | undefined {
  const endpoint = readSetting(spec, config, "endpoint", `${spec.envPrefix}_ENDPOINT`, env);
  if (endpoint.value === undefined) return undefined;
  const reason = endpointProblem(spec, config, env, endpoint.setting, endpoint.value);
  return reason === undefined ? undefined : { setting: endpoint.setting, reason };
}

function endpointProblem(spec: CloudSpec, config: ConfigSource | undefined, env: NodeJS.ProcessEnv, setting: string, value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${setting} is not a URL; give the API's base URL, e.g. ${spec.defaultEndpoint}`;
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol !== "http:") return `${setting} must be an https:// URL, got ${url.protocol}//`;
  if (isLoopback(url.hostname)) return undefined;
  const optIn = readSetting(spec, config, "allowInsecureEndpoint", `${spec.envPrefix}_ALLOW_INSECURE_ENDPOINT`, env);
  if (optIn.value === "true") return undefined;
  return (
    `${setting} is ${url.origin}: plain http:// to a host other than this machine would send the ${spec.label} API key in clear text. ` +
    `Use https://, or if the network is trusted opt in with \`pulumi config set ${spec.name}:allowInsecureEndpoint true\` ` +
    `(or ${spec.envPrefix}_ALLOW_INSECURE_ENDPOINT=true)`
  );
}
