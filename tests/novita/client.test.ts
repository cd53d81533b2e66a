import { NovitaClient } from "../../provider/novita/client";
import type { TransportRequest } from "../../provider/core/transport";
import { json, scripted } from "../core/helpers";

// How the client coalesces concurrent look-ups in one process (no network: a scripted transport).

const BASE = "https://novita.test/gpu-instance/openapi/v1";

function item(id: string, status: string, extra: Record<string, unknown> = {}) {
  return { id, name: `vm-${id}`, status, statusError: { state: "", message: "" }, gpuNum: "1", ...extra };
}

function clientAnswering(answer: (req: TransportRequest, url: URL) => unknown) {
  const t = scripted([], (req) => {
    const url = new URL(req.url);
    const body = answer(req, url);
    return body === 404 ? json(400, { code: 400, reason: "RESOURCE_NOT_FOUND", message: "instance not found" }) : json(200, body);
  });
  // A fresh endpoint per client: the rate limiter is shared per endpoint and key.
  const client = new NovitaClient({ endpoint: BASE, apiKey: "k", rateBudget: null }, { transport: t.transport, maxRetries: 0 });
  const paths = () => t.calls.map((c) => `${c.req.method} ${new URL(c.req.url).pathname.replace("/gpu-instance/openapi/v1", "")}`);
  return { client, paths, calls: t.calls };
}

describe("loadInstance: status polls", () => {
  test("alone: one GET /gpu/instance, the full object", async () => {
    const { client, paths } = clientAnswering(() => item("a", "pulling", { envs: [{ key: "K", value: "v" }] }));
    const seen = await client.loadInstance("a");
    expect(seen.source).toBe("get");
    expect(seen.instance?.envs).toEqual([{ key: "K", value: "v" }]);
    expect(paths()).toEqual(["GET /gpu/instance"]);
  });

  test("together: one listing serves every waiter; ids it does not show are read with GET (gone = GET's word)", async () => {
    const { client, paths } = clientAnswering((_req, url) => {
      if (url.pathname.endsWith("/gpu/instances")) return { instances: [item("a", "pulling"), item("b", "running")], total: 2 };
      return 404;
    });
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((id) => client.loadInstance(id)));
    expect(a).toMatchObject({ source: "list", showsStatusError: true, instance: { id: "a", status: "pulling" } });
    expect(b).toMatchObject({ source: "list", instance: { id: "b", status: "running" } });
    expect(c).toEqual({ source: "get", instance: undefined });
    expect(paths()).toEqual(["GET /gpu/instances", "GET /gpu/instance"]);
  });

  test("a list item without statusError says so: it cannot tell a failed pull", async () => {
    const { client } = clientAnswering(() => ({ instances: [{ id: "a", status: "pulling" }, item("b", "pulling")], total: 2 }));
    const [a, b] = await Promise.all([client.loadInstance("a"), client.loadInstance("b")]);
    expect(a).toMatchObject({ source: "list", showsStatusError: false });
    expect(b).toMatchObject({ source: "list", showsStatusError: true });
  });

  test("a failed listing fails every waiter of that round (each waiter's poll retries)", async () => {
    const { client } = clientAnswering(() => {
      throw Object.assign(new Error("reset"), { code: "ECONNRESET" });
    });
    const results = await Promise.allSettled([client.loadInstance("a"), client.loadInstance("b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

describe("sharedProducts", () => {
  test("concurrent reads of the same filter share one GET /products; other filters get their own", async () => {
    const { client, calls } = clientAnswering(() => ({ data: [{ id: "p1", name: "RTX 4090 24GB", price: "35000", availableDeploy: true }] }));
    const same = { productName: "RTX 4090", gpuNum: 1, billingMethod: "onDemand" as const, clusterId: undefined };
    const answers = await Promise.all([
      client.sharedProducts(same),
      client.sharedProducts({ gpuNum: 1, productName: "RTX 4090", billingMethod: "onDemand" }),
      client.sharedProducts(same),
      client.sharedProducts({ ...same, gpuNum: 2 }),
    ]);
    expect(answers.every((a) => a[0]?.id === "p1")).toBe(true);
    expect(calls.map((c) => new URL(c.req.url).searchParams.get("gpuNum")).sort()).toEqual(["1", "2"]);
  });

  test("nothing is kept once the answer arrived: a later read asks again", async () => {
    const { client, calls } = clientAnswering(() => ({ data: [] }));
    await client.sharedProducts({ gpuNum: 1 });
    await client.sharedProducts({ gpuNum: 1 });
    expect(calls).toHaveLength(2);
  });
});
