import { requestSenderFor } from "../../provider/core/clientFactory";
import { endpointRefusal } from "../../provider/core/endpointSafety";
import { ValidationError } from "../../provider/core/errors";
import { resolveSettings, type CloudSpec, type ConfigSource } from "../../provider/core/settings";
import type { TransportRequest } from "../../provider/core/transport";

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

test("through the native plugin the refusal names the setting and the opt-in as that door's user writes them", () => {
  const plugin: ConfigSource = { get: (k) => ({ "gpcn:endpoint": "http://10.0.0.5:8080" })[k], configKeyOf: (k) => `gpucloud:${k.replace(/^gpcn:(.)/, (_m, c: string) => `gpcn${c.toUpperCase()}`)}` };
  const r = endpointRefusal(spec, plugin, {});
  expect(r?.setting).toBe("gpucloud:gpcnEndpoint");
  expect(r?.reason).toMatch(/^gpucloud:gpcnEndpoint is http:\/\/10\.0\.0\.5:8080: .*clear text/);
  expect(r?.reason).toContain("pulumi config set gpucloud:gpcnAllowInsecureEndpoint true");
  // The environment variable keeps its own name in either door.
  expect(endpointRefusal(spec, { get: () => undefined, configKeyOf: plugin.configKeyOf }, { GPCN_ENDPOINT: "http://10.0.0.5" })?.setting).toBe("GPCN_ENDPOINT");
});

test("the request sender refuses too, before anything is sent: a path that skips check (a function, a policy's offer look-up) cannot carry the key there", async () => {
  const requests: TransportRequest[] = [];
  const transport = async (req: TransportRequest) => (requests.push(req), { status: 200, headers: {}, text: "{}" });
  const settings = resolveSettings(spec, config({ "gpcn:endpoint": "http://api.example.com/v1", "gpcn:apiKey": "gpcn_test_key_1234" }), {});
  const clientSpec = { ...spec, authHeaders: (k: string) => ({ authorization: `Bearer ${k}` }), classifyError: () => undefined };
  const refused = (() => {
    try {
      requestSenderFor(clientSpec, settings, { transport });
    } catch (e) {
      return e;
    }
  })();
  expect(refused).toBeInstanceOf(ValidationError);
  expect((refused as Error).message).toMatch(/^GPCN: gpcn:endpoint is http:\/\/api\.example\.com: .*clear text/);
  expect((refused as Error).message).not.toContain("gpcn_test_key_1234");
  expect(requests).toEqual([]);
  // A route that sends no key (Nova's public search) is not refused; with the opt-in, keyed ones go through.
  expect(() => requestSenderFor(clientSpec, settings, { transport }, "public")).not.toThrow();
  const optedIn = resolveSettings(spec, config({ "gpcn:endpoint": "http://api.example.com/v1", "gpcn:apiKey": "k-1234", "gpcn:allowInsecureEndpoint": "true" }), {});
  expect(() => requestSenderFor(clientSpec, optedIn, { transport })).not.toThrow();
});
