/** Every fault knob, set programmatically and through POST /_admin/faults. */

import { EmulatedClock, startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { call, callUrl, createVmBody, pollJob } from "./gpcnTestClient";

let wall: number;
let emu: GpcnEmulator;

beforeEach(async () => {
  wall = Date.UTC(2026, 4, 19, 12, 0, 0);
  emu = await startGpcnEmulator({ clock: new EmulatedClock({ now: () => wall }), rateLimit: null });
});
afterEach(() => emu.close());

const admin = (path: string, body?: unknown) => callUrl(`${emu.adminUrl}/_admin${path}`, body === undefined ? "GET" : "POST", { body });

// The core bursts themselves run for every cloud in emulatorMatrix.test.ts.
describe("core HTTP bursts", () => {
  it("filters by method and path prefix", async () => {
    emu.faults.set("serverErrorBurst", { count: 1, status: 500, method: "POST", pathPrefix: "/v1/resource/jobs" });
    expect((await call(emu, "GET", "/resource/gpu")).status).toBe(200);
    expect((await call(emu, "POST", "/resource/gpu", { body: {} })).status).toBe(422);
    expect((await call(emu, "POST", "/resource/jobs", { body: { jobIds: ["x"] } })).status).toBe(500);
    expect((await call(emu, "POST", "/resource/jobs", { body: { jobIds: ["x"] } })).status).toBe(200);
  });
});

describe("GPCN job and create knobs", () => {
  it("failNextJobs: the create job fails and the VM ends in Error", async () => {
    emu.faults.set("failNextJobs", { count: 1, message: "Quota exceeded" });
    const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    const job = created.body.data.jobs[0];
    wall += 180_000;
    expect(await pollJob(emu, job.jobId)).toMatchObject({
      stage: "failed",
      hasFailed: true,
      isCompleted: false,
      isTerminal: true,
      canRetry: true,
      errorMessage: "Quota exceeded",
      resourceId: job.resourceId,
    });
    expect((await call(emu, "GET", `/resource/gpu/${job.resourceId}`)).body.data.status).toBe("Error");
    // Only one job was affected.
    const next = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    wall += 180_000;
    expect((await pollJob(emu, next.body.data.jobs[0].jobId)).stage).toBe("completed");
  });

  it("failNextJobs with operation delete: the delete job fails, the VM stays in Error", async () => {
    const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    const vmId = created.body.data.jobs[0].resourceId;
    wall += 180_000;
    emu.faults.set("failNextJobs", { count: 1, operation: "delete" });
    const del = await call(emu, "DELETE", `/resource/gpu/${vmId}`);
    wall += 20_000;
    expect(await pollJob(emu, del.body.data.jobId)).toMatchObject({ stage: "failed", hasFailed: true, errorMessage: expect.any(String) });
    expect((await call(emu, "GET", `/resource/gpu/${vmId}`)).body.data.status).toBe("Error");
    const retry = await call(emu, "DELETE", `/resource/gpu/${vmId}`);
    expect(retry.body.data.jobId).not.toBe(del.body.data.jobId);
  });

  it("stuckNextJobs: progress stalls below 100 forever", async () => {
    emu.faults.set("stuckNextJobs", { count: 1 });
    const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    const job = created.body.data.jobs[0];
    wall += 10 * 180_000;
    const stalled = await pollJob(emu, job.jobId);
    expect(stalled).toMatchObject({ isCompleted: false, isTerminal: false, hasFailed: false });
    expect(stalled.progressPercentage).toBeLessThan(100);
    wall += 3_600_000;
    expect((await pollJob(emu, job.jobId)).progressPercentage).toBe(stalled.progressPercentage);
    expect((await call(emu, "GET", `/resource/gpu/${job.resourceId}`)).body.data.status).toBe("Provisioning");
  });

  it("capacityNextCreates: 409 Inventory depleted, nothing created", async () => {
    const body = await createVmBody(emu);
    emu.faults.set("capacityNextCreates", { count: 1 });
    const res = await call(emu, "POST", "/resource/gpu", { body });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^Inventory depleted - /);
    expect(emu.vms()).toHaveLength(0);
    expect((await call(emu, "POST", "/resource/gpu", { body })).status).toBe(202);
  });

  it("unavailableNextCreates: 503 GPU provider not available", async () => {
    const body = await createVmBody(emu);
    emu.faults.set("unavailableNextCreates", { count: 1 });
    const res = await call(emu, "POST", "/resource/gpu", { body });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ success: false, message: "GPU provider not available", error: { statusCode: 503 } });
    expect(emu.vms()).toHaveLength(0);
  });

  // That the VM exists and the drop is counted runs for every cloud in emulatorMatrix.test.ts.
  it("loseCreateResponse: the lost VM is listed by name and its create job exists", async () => {
    const body = await createVmBody(emu, "lost-one");
    emu.faults.set("loseCreateResponse", { count: 1 });
    await expect(call(emu, "POST", "/resource/gpu", { body })).rejects.toThrow();
    const list = await call(emu, "GET", "/resource/gpu?search=lost-one");
    expect(list.body.data).toHaveLength(1);
    const vmId = list.body.data[0].id;
    expect(emu.jobs().find((j) => j.resourceId === vmId)).toMatchObject({ operation: "create" });
  });
});

describe("admin endpoint", () => {
  it("sets knobs with JSON, reports them, and rejects bad ones", async () => {
    const set = await admin("/faults", { failNextJobs: { count: 1, message: "boom" }, rateLimitBurst: { count: 1, retryAfterSec: 2 } });
    expect(set.status).toBe(200);
    expect(set.body.faults).toEqual({ failNextJobs: { count: 1, message: "boom" }, rateLimitBurst: { count: 1, retryAfterSec: 2 } });
    expect(set.body.knownKnobs).toEqual(
      expect.arrayContaining(["rateLimitBurst", "serverErrorBurst", "connectionResetBurst", "failNextJobs", "stuckNextJobs", "capacityNextCreates", "unavailableNextCreates", "loseCreateResponse"]),
    );
    const bad = await admin("/faults", { serverErrorBurst: { count: 1, status: 404 }, nonsense: { count: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toHaveLength(2);
    // Admin routes are never rate-limited or faulted.
    expect((await admin("/state")).status).toBe(200);
    expect(emu.faults.get("rateLimitBurst")).toEqual({ count: 1, retryAfterSec: 2 });
    expect((await call(emu, "GET", "/resource/gpu")).status).toBe(429);
    await admin("/faults", { failNextJobs: null });
    expect(emu.faults.snapshot()).toEqual({});
  });

  it("GET /_admin/state shows resources; POST /_admin/reset clears everything", async () => {
    await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    emu.faults.set("stuckNextJobs", { count: 3 });
    const state = await admin("/state");
    expect(state.body.cloud.vms).toHaveLength(1);
    expect(state.body.cloud.sshKeys).toHaveLength(1);
    expect(state.body.faults).toEqual({ stuckNextJobs: { count: 3 } });
    expect(state.body.stats.requests).toBeGreaterThan(0);
    expect((await admin("/reset", {})).status).toBe(200);
    expect(emu.vms()).toEqual([]);
    expect(emu.sshKeys()).toEqual([]);
    expect(emu.faults.snapshot()).toEqual({});
    expect(emu.stats().requests).toBe(0);
  });

  it("changes the time scale and the rate limit at runtime", async () => {
    expect((await admin("/time-scale", { timeScale: 60 })).body).toEqual({ timeScale: 60 });
    expect(emu.clock.timeScale).toBe(60);
    expect((await admin("/time-scale", { timeScale: 0 })).status).toBe(400);
    await admin("/rate-limit", { limit: 1, windowMs: 60_000 });
    expect((await call(emu, "GET", "/auth/check")).status).toBe(200);
    expect((await call(emu, "GET", "/auth/check")).status).toBe(429);
    expect((await admin("/state")).status).toBe(200); // admin is never limited
  });
});
