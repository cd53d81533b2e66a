import { cloudNames } from "../clouds";
import type { ConfigSource } from "../core/settings";
import { isUnknown } from "../core/unknown";
import { isSecretWrapper, type Props } from "./propertyValues";

// Provider config of the native package, as the engine sends it in Configure:
// - `args`: the provider's inputs with bare keys (`gpcnApiKey`), secrets still wrapped;
// - `variables`: `gpucloud:config:gpcnApiKey` → plain text (non-strings JSON-encoded).
// Both are accepted; `args` wins. The handlers ask for `gpcn:apiKey`, so `<cloud><Key>` maps to
// `<cloud>:<key>`; the environment (GPCN_API_KEY …) stays the fallback inside resolveSettings.
// A ProviderConfig belongs to one provider instance (one plugin process), never to the module.

export const PACKAGE = "gpucloud";
const CLOUDS = cloudNames;
/** `<cloud><Key>`; longer names first, so a name that starts another one never takes its keys. */
const CLOUD_KEY = new RegExp(`^(${[...CLOUDS].sort((a, b) => b.length - a.length).join("|")})([A-Z][A-Za-z0-9]*)$`);

/** `gpcnApiKey` → `gpcn:apiKey`; undefined for a key of no cloud. */
export function handlerKeyOf(configKey: string): string | undefined {
  if (STACK_KEYS.includes(configKey)) return `${PACKAGE}:${configKey}`;
  const match = CLOUD_KEY.exec(configKey);
  if (!match) return undefined;
  return `${match[1]}:${match[2][0].toLowerCase()}${match[2].slice(1)}`;
}

/** `gpcn:apiKey` → `gpcnApiKey`. */
export function configKeyOf(handlerKey: string): string {
  const [cloud, key] = handlerKey.split(":");
  if (cloud === PACKAGE) return key;
  return `${cloud}${key[0].toUpperCase()}${key.slice(1)}`;
}

/** The keys the schema declares (`config.variables`); others are refused by CheckConfig. */
/** Keys of no one cloud (core/pricing.ts): the handlers read them as `gpucloud:<key>`. */
const STACK_KEYS: readonly string[] = ["maxStackPricePerHour"];
export const CONFIG_KEYS: readonly string[] = [...CLOUDS.flatMap((c) => [`${c}ApiKey`, `${c}Endpoint`, `${c}AllowInsecureEndpoint`, `${c}RequestsPerMinute`]), "gpcnPriceTable", ...STACK_KEYS];
export const SECRET_CONFIG_KEYS: readonly string[] = CLOUDS.map((c) => `${c}ApiKey`);

export class ProviderConfig implements ConfigSource {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  static empty(): ProviderConfig {
    return new ProviderConfig(new Map());
  }

  /** From Configure's `args` (bare keys) and `variables` (`gpucloud:config:<key>`). */
  static fromConfigure(args: Props, variables: ReadonlyMap<string, string>): ProviderConfig {
    const values = new Map<string, string>();
    const prefix = `${PACKAGE}:config:`;
    for (const [name, value] of variables) {
      if (name.startsWith(prefix)) setValue(values, name.slice(prefix.length), value);
    }
    for (const [name, value] of Object.entries(args)) setValue(values, name, value);
    return new ProviderConfig(values);
  }

  get(handlerKey: string): string | undefined {
    return this.values.get(configKeyOf(handlerKey));
  }

  configKeyOf(handlerKey: string): string {
    return `${PACKAGE}:${configKeyOf(handlerKey)}`;
  }

  /** Every secret held (the API keys), for scrubbing error text. */
  secrets(): string[] {
    return SECRET_CONFIG_KEYS.map((k) => this.values.get(k)).filter((v): v is string => !!v);
  }
}

function setValue(values: Map<string, string>, name: string, raw: unknown): void {
  const value = isSecretWrapper(raw) ? raw.value : raw;
  if (value === undefined || value === null || isUnknown(value) || handlerKeyOf(name) === undefined) return;
  values.set(name, typeof value === "string" ? value : JSON.stringify(value));
}

/** CheckConfig: what is wrong with the provider's inputs, one failure per property. */
export function configFailures(news: Props): Array<{ property: string; reason: string }> {
  const failures: Array<{ property: string; reason: string }> = [];
  for (const [name, raw] of Object.entries(news)) {
    if (name === "version" || name.startsWith("__")) continue;
    const value = isSecretWrapper(raw) ? raw.value : raw;
    if (!CONFIG_KEYS.includes(name)) {
      failures.push({ property: name, reason: `unknown config key; known keys: ${CONFIG_KEYS.join(", ")}` });
    } else if (value === undefined || value === null || isUnknown(value)) {
      continue;
    } else if (name === "maxStackPricePerHour") {
      if (!(Number(value) > 0)) failures.push({ property: name, reason: "must be a positive number of USD per hour" });
    } else if (name === "gpcnPriceTable") {
      const reason = priceTableProblem(value);
      if (reason) failures.push({ property: name, reason });
    } else if (name.endsWith("AllowInsecureEndpoint")) {
      // The opt-in of core/endpointSafety.ts: only an explicit true lets a plain-http endpoint through.
      if (value !== true && value !== false && value !== "true" && value !== "false") failures.push({ property: name, reason: `must be true or false, got ${JSON.stringify(value)}` });
    } else if (name.endsWith("RequestsPerMinute")) {
      if (!(Number(value) > 0)) failures.push({ property: name, reason: "must be a number of requests per minute above 0" });
    } else if (typeof value !== "string") {
      failures.push({ property: name, reason: "must be a string" });
    } else if (name.endsWith("Endpoint") && !/^https?:\/\/[^\s]+$/.test(value)) {
      failures.push({ property: name, reason: `must be an http(s) URL, got ${JSON.stringify(value)}` });
    }
  }
  return failures;
}

/** The table must be a map of SKU code → non-negative USD per hour (an object, or the same as JSON text). */
function priceTableProblem(value: unknown): string | undefined {
  let table = value;
  if (typeof value === "string") {
    try {
      table = JSON.parse(value);
    } catch {
      return "must be a map of SKU code to USD per hour (JSON text given is not JSON)";
    }
  }
  if (!table || typeof table !== "object" || Array.isArray(table)) return "must be a map of SKU code to USD per hour";
  const bad = Object.entries(table).filter(([, v]) => typeof v !== "number" || !(v >= 0)).map(([k]) => k);
  return bad.length ? `prices must be non-negative numbers of USD per hour; bad entries: ${bad.join(", ")}` : undefined;
}
