import { AuthError } from "../../provider/core/errors";
import { CloudSpec, ConfigSource, requireApiKey, resolveSettings } from "../../provider/core/settings";

const spec: CloudSpec = {
  name: "gpcn",
  label: "GPCN",
  envPrefix: "GPCN",
  defaultEndpoint: "https://api.gpcn.com/v1",
  defaultRateBudget: { limit: 100, windowMs: 60_000 },
};

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

const ENV_NAMES = ["GPCN_API_KEY", "GPCN_ENDPOINT", "GPCN_REQUESTS_PER_MINUTE"];
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  for (const n of ENV_NAMES) {
    saved[n] = process.env[n];
    delete process.env[n];
  }
});
afterEach(() => {
  for (const n of ENV_NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe("resolveSettings", () => {
  test("defaults when nothing is set", () => {
    expect(resolveSettings(spec, undefined, {})).toEqual({
      endpoint: "https://api.gpcn.com/v1",
      apiKey: undefined,
      rateBudget: { limit: 100, windowMs: 60_000 },
    });
  });

  test("stack config beats the environment, key by key", () => {
    const env = { GPCN_API_KEY: "env-key-123", GPCN_ENDPOINT: "http://env:1", GPCN_REQUESTS_PER_MINUTE: "10" };
    const s = resolveSettings(spec, config({ "gpcn:apiKey": "cfg-key-456", "gpcn:requestsPerMinute": "30" }), env);
    expect(s).toEqual({
      apiKey: "cfg-key-456",
      endpoint: "http://env:1",
      rateBudget: { limit: 30, windowMs: 60_000 },
      endpointOverride: { setting: "GPCN_ENDPOINT", allowInsecure: false, optInKey: "gpcn:allowInsecureEndpoint" },
    });
  });

  test("config keys are namespaced by the cloud: another cloud's key is not read", () => {
    const s = resolveSettings(spec, config({ "nova:apiKey": "nova-key", apiKey: "bare" }), {});
    expect(s.apiKey).toBeUndefined();
  });

  test("an empty config value falls through to the environment; an empty env value is unset", () => {
    expect(resolveSettings(spec, config({ "gpcn:apiKey": "" }), { GPCN_API_KEY: "env-key-123" }).apiKey).toBe("env-key-123");
    expect(resolveSettings(spec, undefined, { GPCN_API_KEY: "" }).apiKey).toBeUndefined();
    expect(resolveSettings(spec, undefined, { GPCN_ENDPOINT: "" }).endpoint).toBe("https://api.gpcn.com/v1");
  });

  test("the environment is read at call time, not when the module was loaded", () => {
    expect(resolveSettings(spec, undefined).apiKey).toBeUndefined();
    process.env.GPCN_API_KEY = "late-key-789";
    process.env.GPCN_ENDPOINT = "http://127.0.0.1:4010/v1";
    expect(resolveSettings(spec, undefined)).toMatchObject({ apiKey: "late-key-789", endpoint: "http://127.0.0.1:4010/v1" });
    process.env.GPCN_API_KEY = "rotated-key-000";
    expect(resolveSettings(spec, undefined).apiKey).toBe("rotated-key-000");
  });

  test("requestsPerMinute: a positive number sets a per-minute budget, anything else keeps the default", () => {
    expect(resolveSettings(spec, undefined, { GPCN_REQUESTS_PER_MINUTE: "250" }).rateBudget).toEqual({ limit: 250, windowMs: 60_000 });
    for (const bad of ["0", "-5", "lots"]) {
      expect(resolveSettings(spec, undefined, { GPCN_REQUESTS_PER_MINUTE: bad }).rateBudget).toEqual({ limit: 100, windowMs: 60_000 });
    }
    expect(resolveSettings({ ...spec, defaultRateBudget: null }, undefined, {}).rateBudget).toBeNull();
  });
});

describe("requireApiKey", () => {
  test("returns the key when set", () => {
    expect(requireApiKey(spec, { endpoint: "x", apiKey: "k-1234", rateBudget: null })).toBe("k-1234");
  });

  test("a missing key is an AuthError naming both ways to set it", () => {
    let err: any;
    try {
      requireApiKey(spec, resolveSettings(spec, undefined, {}));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AuthError);
    expect(err.kind).toBe("auth");
    expect(err.cloud).toBe("gpcn");
    expect(err.message).toContain("GPCN API key is not set");
    expect(err.message).toContain("pulumi config set --secret gpcn:apiKey <key>");
    expect(err.message).toContain("GPCN_API_KEY");
  });

  test("the message follows the cloud spec", () => {
    const nova: CloudSpec = { name: "nova", label: "Nova Cloud", envPrefix: "NOVA", defaultEndpoint: "https://nova.test", defaultRateBudget: null };
    expect(() => requireApiKey(nova, { endpoint: "x", rateBudget: null })).toThrow(
      "Nova Cloud API key is not set: run `pulumi config set --secret nova:apiKey <key>` or set the environment variable NOVA_API_KEY",
    );
  });
});
