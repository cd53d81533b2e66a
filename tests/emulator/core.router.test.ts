import { Router } from "../../emulator/core/router";

const reply = (tag: string) => () => ({ status: 200, body: tag });

describe("Router", () => {
  const router = new Router()
    .get("/v1/things/:id", reply("one"))
    .get("/v1/things/search", reply("search"))
    .post("/v1/things", reply("create"))
    .get("/v1/things/:id/parts/:partId", reply("part"));

  it("extracts params and decodes them", () => {
    const m = router.match("GET", "/v1/things/a%20b/parts/7");
    expect(m?.pattern).toBe("/v1/things/:id/parts/:partId");
    expect(m?.params).toEqual({ id: "a b", partId: "7" });
  });

  it("tolerates a trailing slash", () => {
    expect(router.match("POST", "/v1/things/")?.pattern).toBe("/v1/things");
    expect(router.match("GET", "/v1/things/42/")?.params).toEqual({ id: "42" });
  });

  it("prefers literal segments over params regardless of order", () => {
    expect(router.match("GET", "/v1/things/search")?.pattern).toBe("/v1/things/search");
  });

  it("matches method case-insensitively and rejects other methods and paths", () => {
    expect(router.match("post", "/v1/things")).toBeDefined();
    expect(router.match("DELETE", "/v1/things/1")).toBeUndefined();
    expect(router.match("GET", "/v1/other")).toBeUndefined();
    expect(router.match("GET", "/v1/things/%E0%A4%A")).toBeUndefined();
  });
});
