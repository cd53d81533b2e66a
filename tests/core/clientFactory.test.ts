import { requestSenderFor } from "../../provider/core/clientFactory";
import { AuthError, CapacityError, GpuCloudError } from "../../provider/core/errors";
import { RateLimiter } from "../../provider/core/rateLimiter";
import type { TransportRequest } from "../../provider/core/transport";
import { novaCloud } from "../../provider/nova/client";
import { novitaCloud } from "../../provider/novita/client";

// Every cloud's sender comes from one factory: the spec's lower-case name in `cloud`, its label
// at the start of the message (built once, in errors.ts), the cloud's own words in `cloudMessage`.

const KEY = "novita_live_5Jd8Qp2Lx7Wm3Zr9";

function recording(status: number, body: unknown) {
  const requests: TransportRequest[] = [];
  const transport = async (req: TransportRequest) => {
    requests.push(req);
    return { status, headers: { "content-type": "application/json" }, text: JSON.stringify(body) };
  };
  return { requests, overrides: { transport, limiter: new RateLimiter(null), maxRetries: 0 } };
}

test("an error answer: cloud is the spec's name, the message starts with its label, the cloud's words are a field", async () => {
  const { requests, overrides } = recording(400, { code: 400, reason: "GPU_SPEC_USED", message: "the GPU spec is in use", metadata: {} });
  const sender = requestSenderFor(novitaCloud, { endpoint: "https://novita.example.test/v1", apiKey: KEY, rateBudget: null }, overrides);
  const err = await sender.send({ method: "POST", path: "/gpu/instance/create", body: {} }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CapacityError); // Novita's classifier, through the spec
  expect(err).toMatchObject({ cloud: "novita", status: 400, code: "GPU_SPEC_USED", cloudMessage: "the GPU spec is in use" });
  expect((err as GpuCloudError).message).toBe("Novita: POST /gpu/instance/create failed: the GPU spec is in use [HTTP 400, code GPU_SPEC_USED]");
  expect(requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
});

test("a keyed sender without a key is refused before any request; a public one sends no key", async () => {
  expect(() => requestSenderFor(novaCloud, { endpoint: "https://nova.example.test", rateBudget: null })).toThrow(AuthError);
  const { requests, overrides } = recording(200, []);
  const sender = requestSenderFor(novaCloud, { endpoint: "https://nova.example.test", rateBudget: null }, overrides, "public");
  await sender.send({ method: "GET", path: "/search" });
  expect(requests).toHaveLength(1);
  expect(Object.keys(requests[0].headers).map((h) => h.toLowerCase())).not.toContain("authorization");
});
