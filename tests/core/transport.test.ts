import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { closeSharedAgent, requestWasNotSent, undiciTransport } from "../../provider/core/transport";

// Loopback only: a throwaway HTTP server on 127.0.0.1, so the real undici code path is exercised without any network.

describe("requestWasNotSent", () => {
  const withCode = (code: string, cause?: unknown) => Object.assign(new Error(code, cause === undefined ? undefined : { cause }), { code });

  test.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH"])("%s: nothing left this machine", (code) => {
    expect(requestWasNotSent(withCode(code))).toBe(true);
  });

  test.each(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"])("%s: the request may have been sent", (code) => {
    expect(requestWasNotSent(withCode(code))).toBe(false);
  });

  test("looks through the cause chain (fetch failed → connect error), up to 4 levels", () => {
    const deep = new Error("fetch failed", { cause: new Error("l2", { cause: new Error("l3", { cause: withCode("ECONNREFUSED") }) }) });
    expect(requestWasNotSent(deep)).toBe(true);
    const tooDeep = new Error("l1", { cause: new Error("l2", { cause: new Error("l3", { cause: new Error("l4", { cause: withCode("ECONNREFUSED") }) }) }) });
    expect(requestWasNotSent(tooDeep)).toBe(false);
  });

  test("non-errors and errors without a code: may have been sent", () => {
    expect(requestWasNotSent(undefined)).toBe(false);
    expect(requestWasNotSent("ECONNREFUSED")).toBe(false);
    expect(requestWasNotSent(new Error("ECONNREFUSED in the text only"))).toBe(false);
    expect(requestWasNotSent({ code: 111 })).toBe(false);
  });
});

describe("undiciTransport (loopback)", () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === "/slow") return; // never answers; undici's timers are coarse (~1 s)
        res.setHeader("X-Request-Id", "rid-1");
        res.setHeader("Set-Cookie", ["a=1", "b=2"]);
        res.setHeader("X-RateLimit-Remaining", "7");
        res.statusCode = req.url === "/missing" ? 404 : 201;
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ echo: body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await closeSharedAgent();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test("sends method, headers and body; returns status, lower-case headers and the text", async () => {
    const res = await undiciTransport({
      method: "POST",
      url: `${base}/vms?x=1`,
      headers: { "content-type": "application/json", "x-api-key": "k" },
      body: '{"a":1}',
      timeoutMs: 5_000,
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toEqual({ echo: '{"a":1}' });
    expect(res.headers["x-request-id"]).toBe("rid-1");
    expect(res.headers["x-ratelimit-remaining"]).toBe("7");
    expect(res.headers["set-cookie"]).toBe("a=1, b=2");
    expect(Object.keys(res.headers).every((k) => k === k.toLowerCase())).toBe(true);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ method: "POST", url: "/vms?x=1", body: '{"a":1}' });
    expect(last.headers["x-api-key"]).toBe("k");
  });

  test("an error status is a response, not a throw", async () => {
    const res = await undiciTransport({ method: "GET", url: `${base}/missing`, headers: {}, timeoutMs: 5_000 });
    expect(res.status).toBe(404);
  });

  test("a refused connection throws an error that counts as not sent", async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const err = await undiciTransport({ method: "POST", url: `http://127.0.0.1:${port}/x`, headers: {}, body: "{}", timeoutMs: 5_000 }).catch((e) => e);
    expect(err?.code).toBe("ECONNREFUSED"); // a Node-realm error, hence no instanceof
    expect(requestWasNotSent(err)).toBe(true);
  });

  test("a header timeout throws an error that counts as maybe sent", async () => {
    const err = await undiciTransport({ method: "GET", url: `${base}/slow`, headers: {}, timeoutMs: 100 }).catch((e) => e);
    expect(err?.code).toBe("UND_ERR_HEADERS_TIMEOUT");
    expect(requestWasNotSent(err)).toBe(false);
  });
});
