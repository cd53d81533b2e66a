/** Envelopes, error shapes, auth, read-only catalog routes. */

import { startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { call, callUrl } from "./gpcnTestClient";

let emu: GpcnEmulator;

beforeAll(async () => {
  emu = await startGpcnEmulator({ rateLimit: null });
});
afterAll(() => emu.close());

// Refusals and both ways of sending the key run for every cloud in emulatorMatrix.test.ts.
describe("auth", () => {
  it("GET /auth/check answers the caller's grants", async () => {
    const bearer = await call(emu, "GET", "/auth/check", { authStyle: "bearer" });
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject({ success: true, data: { authenticated: true, grants: { permissions: expect.any(Array) } }, meta: null });
  });
});

describe("routing and error shapes", () => {
  it("answers unknown routes with shape D", async () => {
    const res = await call(emu, "GET", "/resource/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Route Not Found" });
    expect((await callUrl(`${emu.adminUrl}/v2/resource/gpu`, "GET")).body).toEqual({ message: "Route Not Found" });
  });

  it("accepts paths with and without a trailing slash", async () => {
    expect((await call(emu, "GET", "/resource/gpu/")).status).toBe(200);
    expect((await call(emu, "GET", "/resource/gpu")).status).toBe(200);
    expect((await call(emu, "GET", "/resource-groups/")).status).toBe(200);
    expect((await call(emu, "GET", "/resource/data-centers/")).status).toBe(200);
  });

  it("answers malformed JSON with 400 in shape A", async () => {
    const res = await call(emu, "POST", "/resource/gpu", { rawBody: "{not json" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: { code: "Bad Request", statusCode: 400 } });
  });

  it("reports missing fields as 422 with details.issues", async () => {
    const res = await call(emu, "POST", "/resource/gpu", { body: { gpuCount: 3 } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "Validation Error", statusCode: 422 });
    expect(res.body.message).toMatch(/^Invalid Parameters: name: Name is required/);
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(["name", "datacenterId", "seriesId", "gpuCount", "sshKeyId"]);
  });
});

describe("inventory", () => {
  it("lists series with uuids, stocked locations and SKUs cheapest first", async () => {
    const res = await call(emu, "GET", "/resource/gpu/inventory");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, meta: null });
    const series = res.body.data.series;
    expect(series.map((s: { code: string }) => s.code)).toEqual(["h100_series", "a100_series", "rtx_pro_6000_series"]);
    const h100 = series[0];
    expect(h100.id).toMatch(/^[0-9a-f-]{36}$/);
    const kansas = h100.availability.find((a: { datacenterCode: string }) => a.datacenterCode === "KAN-1");
    expect(kansas.datacenterName).toBe("Kansas City");
    expect(kansas.gpuCounts.map((c: { count: number }) => c.count)).toEqual([1, 2, 4, 8]);
    const one = kansas.gpuCounts[0];
    expect(one.availableSkus.map((s: { skuCode: string }) => s.skuCode)).toEqual(["h100-pcie-80gb-1x", "h100-sxm-80gb-1x"]);
    expect(one.specs).toEqual(one.availableSkus[0].specs); // specs = the auto-picked cheapest SKU
    expect(one.specs).toEqual({ gpuDescription: expect.any(String), vcpu: expect.any(Number), memoryGiB: expect.any(Number), storageGB: expect.any(Number) });
    expect(JSON.stringify(res.body)).not.toMatch(/price/i);
  });

  it("filters by code, datacenterId and count", async () => {
    const all = await call(emu, "GET", "/resource/gpu/inventory");
    const dcId = all.body.data.series[0].availability[0].datacenterId;
    const res = await call(emu, "GET", `/resource/gpu/inventory?code=A100_SERIES&datacenterId=${dcId}&count=4`);
    const series = res.body.data.series;
    expect(series).toHaveLength(1);
    expect(series[0].availability.every((a: { datacenterId: string }) => a.datacenterId === dcId)).toBe(true);
    expect(series[0].availability[0].gpuCounts.map((c: { count: number }) => c.count)).toEqual([4]);
    expect((await call(emu, "GET", "/resource/gpu/inventory?count=3")).status).toBe(422);
    expect((await call(emu, "GET", "/resource/gpu/inventory?datacenterId=00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("shows nothing when out of stock", async () => {
    const empty = await startGpcnEmulator({ stockPerOffer: 0, rateLimit: null });
    try {
      const res = await call(empty, "GET", "/resource/gpu/inventory");
      expect(res.body.data.series.every((s: { availability: unknown[] }) => s.availability.length === 0)).toBe(true);
    } finally {
      await empty.close();
    }
  });
});

describe("resource groups and data centers", () => {
  it("lists the seeded default resource group with paging meta", async () => {
    const res = await call(emu, "GET", "/resource-groups/");
    expect(res.body.data).toEqual([expect.objectContaining({ name: "Default", isDefault: true, id: expect.any(String) })]);
    expect(res.body.meta).toEqual({ total: 1, page: 1, pageSize: 10, totalPages: 1, hasNextPage: false, hasPreviousPage: false });
    const one = await call(emu, "GET", `/resource-groups/${res.body.data[0].id}`);
    expect(one.body.data.name).toBe("Default");
  });

  it("lists GPU data centers", async () => {
    const res = await call(emu, "GET", "/resource/data-centers/");
    expect(res.body.data).toContainEqual(
      expect.objectContaining({ name: "Kansas City", code: "KAN-1", regionName: expect.any(String), countryName: "United States", gpuEnabled: true }),
    );
  });
});
