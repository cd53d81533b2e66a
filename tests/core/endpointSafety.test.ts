import { endpointRefusal } from "../../provider/core/endpointSafety";
import type { CloudSpec, ConfigSource } from "../../provider/core/settings";

const spec: CloudSpec = { name: "gpcn", label: "GPCN", envPrefix: "GPCN", defaultEndpoint: "https://api.gpcn.com/v1", defaultRateBudget: null };
const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const refusal = (endpoint: string, more: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  endpointRefusal(spec, config({ "gpcn:endpoint": endpoint, ...more }), env);

test.each(["https://api.example.com/v1", "http://127.0.0.1:4010/v1", "http://127.3.2.1", "http://localhost:8080", "http://api.localhost", "http://[::1]:9000/"])(
  "%s is allowed",
  (endpoint) => expect(refusal(endpoint)).toBeUndefined(),
);

test("no override at all: the default endpoint is used and nothing is refused", () => {
  expect(endpointRefusal(spec, undefined, {})).toBeUndefined();
});

test.each(["http://api.example.com/v1", "http://10.0.0.5:8080", "http://0.0.0.0:4010", "http://localhost.evil.com", "http://127.0.0.1.example.com"])(
  "%s is refused, naming the setting, the risk and the opt-in",
  (endpoint) => {
    const r = refusal(endpoint);
    expect(r?.setting).toBe("gpcn:endpoint");
    expect(r?.reason).toMatch(/^gpcn:endpoint is http:\/\/.*clear text/);
    expect(r?.reason).toContain("pulumi config set gpcn:allowInsecureEndpoint true");
    expect(r?.reason).toContain("GPCN_ALLOW_INSECURE_ENDPOINT=true");
  },
);

test("the environment variable is named when the endpoint comes from it", () => {
  expect(endpointRefusal(spec, config({}), { GPCN_ENDPOINT: "http://api.example.com" })?.setting).toBe("GPCN_ENDPOINT");
  expect(endpointRefusal(spec, config({}), { GPCN_ENDPOINT: "http://api.example.com" })?.reason).toMatch(/^GPCN_ENDPOINT is/);
});

test("the opt-in, from config or environment, must say exactly true", () => {
  expect(refusal("http://api.example.com", { "gpcn:allowInsecureEndpoint": "true" })).toBeUndefined();
  expect(refusal("http://api.example.com", {}, { GPCN_ALLOW_INSECURE_ENDPOINT: "true" })).toBeUndefined();
  expect(refusal("http://api.example.com", { "gpcn:allowInsecureEndpoint": "false" })).toBeDefined();
  expect(refusal("http://api.example.com", {}, { GPCN_ALLOW_INSECURE_ENDPOINT: "1" })).toBeDefined();
});

test("a value that is not a URL, or another scheme, is refused too; the value itself is not echoed", () => {
  expect(refusal("api.gpcn.com/v1")?.reason).toBe("gpcn:endpoint is not a URL; give the API's base URL, e.g. https://api.gpcn.com/v1");
  expect(refusal("ftp://files.example.com")?.reason).toMatch(/must be an https:\/\/ URL/);
  expect(refusal("http://user:s3cret@api.example.com")?.reason).not.toContain("s3cret");
});
