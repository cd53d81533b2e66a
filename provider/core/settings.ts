import { AuthError } from "./errors";
import type { RateBudget } from "./rateLimiter";

/** What `configure` stored: the host's Config (stack config, secrets decrypted) or a test double. */
export interface ConfigSource {
  get(key: string): string | undefined;
  /**
   * How the user sets `key` ("gpcn:apiKey") in this door, for messages: the native plugin answers
   * "gpucloud:gpcnApiKey". Absent: the dynamic providers' stack config key, the same text.
   */
  configKeyOf?(key: string): string;
}

export interface CloudSpec {
  /** Config namespace and type-token module: "gpcn". */
  name: string;
  /** Human name for messages: "GPCN". */
  label: string;
  envPrefix: string;
  defaultEndpoint: string;
  /** Published request budget, or the default we keep to when the cloud publishes none. */
  defaultRateBudget: RateBudget | null;
}

export interface CloudSettings {
  endpoint: string;
  apiKey?: string;
  rateBudget: RateBudget | null;
  /** The config key that sets the API key, as the user writes it (see ConfigSource.configKeyOf). */
  apiKeyConfigKey?: string;
  /** Present when the endpoint is not the cloud's default: what core/endpointSafety.ts judges. */
  endpointOverride?: EndpointOverride;
}

export interface EndpointOverride {
  /** Where the endpoint came from, as the user names it: "gpcn:endpoint", "gpucloud:gpcnEndpoint" or "GPCN_ENDPOINT". */
  setting: string;
  /** The user opted in to plain http:// to another host (`<cloud>:allowInsecureEndpoint` / `<CLOUD>_ALLOW_INSECURE_ENDPOINT` is "true"). */
  allowInsecure: boolean;
  /** The config key of that opt-in as the user writes it in this door. */
  optInKey: string;
}

/** A value and the setting it came from, as the user would name it: "gpcn:endpoint" or "GPCN_ENDPOINT". */
export interface SettingValue {
  value?: string;
  setting: string;
}

/** Stack config `<cloud>:<key>` wins over the environment variable; empty values count as unset. */
export function readSetting(spec: CloudSpec, config: ConfigSource | undefined, key: string, envName: string, env: NodeJS.ProcessEnv = process.env): SettingValue {
  const fromConfig = config?.get(`${spec.name}:${key}`);
  if (fromConfig !== undefined && fromConfig !== "") return { value: fromConfig, setting: `${spec.name}:${key}` };
  return { value: env[envName] || undefined, setting: envName };
}

/** Stack config wins over the environment; the environment is read now, at call time, never at load. */
export function resolveSettings(spec: CloudSpec, config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): CloudSettings {
  const read = (key: string, envName: string) => readSetting(spec, config, key, envName, env).value;
  const perMinute = read("requestsPerMinute", `${spec.envPrefix}_REQUESTS_PER_MINUTE`);
  const rateBudget = perMinute !== undefined && Number(perMinute) > 0 ? { limit: Number(perMinute), windowMs: 60_000 } : spec.defaultRateBudget;
  const endpoint = readSetting(spec, config, "endpoint", `${spec.envPrefix}_ENDPOINT`, env);
  // A config key ("gpcn:endpoint") as this door's user writes it; an environment variable as is.
  const asWritten = (setting: string) => (setting.includes(":") && config?.configKeyOf ? config.configKeyOf(setting) : setting);
  return {
    endpoint: endpoint.value ?? spec.defaultEndpoint,
    apiKey: read("apiKey", `${spec.envPrefix}_API_KEY`),
    rateBudget,
    ...(config?.configKeyOf ? { apiKeyConfigKey: config.configKeyOf(`${spec.name}:apiKey`) } : {}),
    ...(endpoint.value !== undefined
      ? {
          endpointOverride: {
            setting: asWritten(endpoint.setting),
            allowInsecure: read("allowInsecureEndpoint", `${spec.envPrefix}_ALLOW_INSECURE_ENDPOINT`) === "true",
            optInKey: asWritten(`${spec.name}:allowInsecureEndpoint`),
          },
        }
      : {}),
  };
}

export function requireApiKey(spec: CloudSpec, settings: CloudSettings): string {
  if (settings.apiKey) return settings.apiKey;
  throw new AuthError(
    `${spec.label} API key is not set: run \`pulumi config set --secret ${settings.apiKeyConfigKey ?? `${spec.name}:apiKey`} <key>\` ` +
      `or set the environment variable ${spec.envPrefix}_API_KEY`,
    { cloud: spec.name },
  );
}
