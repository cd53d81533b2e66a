/** Create -> job -> Running, delete -> Deleting -> gone, update, with a fake clock and with a fast real one. */

import { EmulatedClock, startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { call, createVmBody, pollJob, pollJobToEnd } from "./gpcnTestClient";

describe("with an injected clock", () => {
  let wall: number;
  let emu: GpcnEmulator;

  beforeEach(async () => {
    wall = Date.UTC(2026, 4, 19, 14, 0, 0);
    emu = await startGpcnEmulator({ clock: new EmulatedClock({ now: () => wall }), rateLimit: null, seed: "lifecycle" });
  });
  afterEach(() => emu.close());

  it("creates a VM whose job walks initializing -> provisioning -> starting -> completed", async () => {
    const body = await createVmBody(emu, "trainer-1", { imageName: "ubuntu-22.04" });
    const start = wall;
    const created = await call(emu, "POST", "/resource/gpu", { body });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ success: true, message: "Operation initiated successfully", meta: null });
    expect(created.body.data.jobs).toHaveLength(1);
    const job = created.body.data.jobs[0];
    expect(job).toEqual({
      jobId: expect.any(String),
      resourceType: "virtual_machine",
      resourceDisplayName: expect.any(String),
      operation: "create",
      stage: "initializing",
      progressPercentage: 0,
      message: expect.any(String),
      errorMessage: null,
      estimatedCompletion: new Date(wall + 180_000).toISOString(),
      timeRemaining: 180,
      canRetry: false,
      isCompleted: false,
      hasFailed: false,
      isTerminal: false,
      resourceId: expect.any(String),
      resourceName: "trainer-1",
      createdAt: new Date(wall).toISOString(),
      updatedAt: new Date(wall).toISOString(),
    });

    // The VM exists at once, before the job finishes.
    const vmPath = `/resource/gpu/${job.resourceId}`;
    const early = await call(emu, "GET", vmPath);
    expect(early.status).toBe(200);
    expect(early.body.data).toMatchObject({ id: job.resourceId, name: "trainer-1", status: "Provisioning", ip: null, username: "ubuntu" });
    expect(early.body.data.image).toBe("Ubuntu 22.04 LTS (GPU)");
    expect(early.body.data.image.length).toBeGreaterThan("ubuntu-22.04".length);

    wall += 18_000; // 10 %
    expect(await pollJob(emu, job.jobId)).toMatchObject({ stage: "provisioning", progressPercentage: 10, timeRemaining: 162 });

    wall += 135_000; // 85 %
    expect(await pollJob(emu, job.jobId)).toMatchObject({ stage: "starting", progressPercentage: 85 });
    expect((await call(emu, "GET", vmPath)).body.data).toMatchObject({ status: "Starting", ip: null });

    wall += 40_000;
    const done = await pollJob(emu, job.jobId);
    expect(done).toMatchObject({ stage: "completed", progressPercentage: 100, isCompleted: true, hasFailed: false, isTerminal: true, timeRemaining: 0 });
    const vm = (await call(emu, "GET", vmPath)).body.data;
    expect(vm).toMatchObject({
      status: "Running",
      ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      jupyterUrl: expect.stringMatching(/^https:\/\//),
      configuration: { code: "h100_series", gpuCount: 1, skuCode: "h100-pcie-80gb-1x", skuId: expect.any(String) },
      datacenter: { name: "Kansas City", region: expect.any(String), countryAbbr: "US", country: "United States" },
      resourceGroupName: "Default",
      sshKeyId: body.sshKeyId,
      sshKeyName: "test-key",
      hasStoredCredentials: false,
      deletedAt: null,
    });
    expect(emu.jobTimeline(job.jobId)).toEqual({ createdAt: start, completedAt: start + 180_000, firstObservedCompletedAt: wall });
  });

  it("shrinks durations when the time scale changes at runtime", async () => {
    const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    const job = created.body.data.jobs[0];
    wall += 90_000; // half way at x1
    emu.setTimeScale(90);
    const half = await pollJob(emu, job.jobId);
    expect(half.progressPercentage).toBe(50);
    expect(half.timeRemaining).toBe(1); // 90 emulated s left at x90
    expect(half.estimatedCompletion).toBe(new Date(wall + 1000).toISOString());
    wall += 1000;
    expect((await pollJob(emu, job.jobId)).isCompleted).toBe(true);
  });

  it("deletes through a job: Deleting until it completes, then 404", async () => {
    const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    const vmId = created.body.data.jobs[0].resourceId;
    wall += 180_000;
    const del = await call(emu, "DELETE", `/resource/gpu/${vmId}`);
    expect(del.status).toBe(202);
    expect(del.body.data).toMatchObject({ operation: "delete", resourceId: vmId, jobId: expect.any(String), isCompleted: false });
    expect((await call(emu, "GET", `/resource/gpu/${vmId}`)).body.data.status).toBe("Deleting");
    expect(emu.vms().map((v) => v.status)).toEqual(["Deleting"]);
    // A second DELETE while deleting reports the same job.
    expect((await call(emu, "DELETE", `/resource/gpu/${vmId}`)).body.data.jobId).toBe(del.body.data.jobId);

    wall += 20_000;
    expect((await pollJob(emu, del.body.data.jobId)).stage).toBe("completed");
    const gone = await call(emu, "GET", `/resource/gpu/${vmId}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ success: false, error: { code: "Not Found", statusCode: 404 } });
    expect((await call(emu, "DELETE", `/resource/gpu/${vmId}`)).status).toBe(404);
    expect(emu.vms()).toEqual([]);
  });

  it("cancels the create job when a VM is deleted while provisioning", async () => {
    const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    const job = created.body.data.jobs[0];
    wall += 30_000;
    await call(emu, "DELETE", `/resource/gpu/${job.resourceId}`);
    wall += 200_000;
    expect(await pollJob(emu, job.jobId)).toMatchObject({ stage: "cancelled", isTerminal: true, isCompleted: false, hasFailed: false });
  });
});

describe("with a fast real clock", () => {
  let emu: GpcnEmulator;
  beforeAll(async () => {
    emu = await startGpcnEmulator({ timeScale: 1000, rateLimit: null });
  });
  afterAll(() => emu.close());

  it("reaches Running; progress never goes backwards; completion is observed after it happens", async () => {
    const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
    const job = created.body.data.jobs[0];
    const seen = await pollJobToEnd(emu, job.jobId);
    const progress = seen.map((j) => j.progressPercentage);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toMatchObject({ stage: "completed", isCompleted: true });
    expect((await call(emu, "GET", `/resource/gpu/${job.resourceId}`)).body.data.status).toBe("Running");
    const timeline = emu.jobTimeline(job.jobId)!;
    expect(timeline.completedAt).not.toBeNull();
    expect(timeline.firstObservedCompletedAt!).toBeGreaterThanOrEqual(timeline.completedAt!);
    expect(timeline.completedAt! - timeline.createdAt).toBeGreaterThanOrEqual(179); // 180 s / 1000, rounding
  });
});

describe("create validation and stock", () => {
  let emu: GpcnEmulator;
  beforeEach(async () => {
    emu = await startGpcnEmulator({ rateLimit: null, stockPerOffer: 1, timeScale: 1_000_000, deletionSeconds: 1 });
  });
  afterEach(() => emu.close());

  const missing = "00000000-0000-4000-8000-000000000000";

  it("404s unknown ssh key, data center, series and image", async () => {
    const body = await createVmBody(emu);
    for (const [field, what] of [["sshKeyId", "SSH key"], ["datacenterId", "Datacenter"], ["seriesId", "GPU series"], ["resourceGroupId", "Resource group"]]) {
      const res = await call(emu, "POST", "/resource/gpu", { body: { ...body, [field]: missing } });
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`${what} not found`);
    }
    expect((await call(emu, "POST", "/resource/gpu", { body: { ...body, imageId: missing } })).status).toBe(404);
  });

  it("422s bad usernames and image names", async () => {
    const body = await createVmBody(emu);
    for (const extra of [{ username: "ab" }, { username: "1abc" }, { username: "has space" }, { imageName: "debian-12" }, { gpuCount: 3 }]) {
      const res = await call(emu, "POST", "/resource/gpu", { body: { ...body, ...extra } });
      expect(res.status).toBe(422);
      expect(res.body.error.details.issues[0].path).toBe(Object.keys(extra)[0]);
    }
  });

  it("400s a skuCode that does not match the series/count; honours a matching one", async () => {
    const body = await createVmBody(emu);
    expect((await call(emu, "POST", "/resource/gpu", { body: { ...body, skuCode: "h100-sxm-80gb-2x" } })).status).toBe(400);
    expect((await call(emu, "POST", "/resource/gpu", { body: { ...body, skuCode: "a100-sxm-80gb-1x" } })).status).toBe(400);
    const res = await call(emu, "POST", "/resource/gpu", { body: { ...body, skuCode: "h100-sxm-80gb-1x", username: "dev_user" } });
    expect(res.status).toBe(202);
    const vm = (await call(emu, "GET", `/resource/gpu/${res.body.data.jobs[0].resourceId}`)).body.data;
    expect(vm.configuration.skuCode).toBe("h100-sxm-80gb-1x");
    expect(vm.username).toBe("dev_user");
    expect(vm.image).toBe("Ubuntu 24.04 LTS (GPU)");
  });

  it("409s with the documented text when stock runs out, and frees stock on delete", async () => {
    const body = await createVmBody(emu);
    const first = await call(emu, "POST", "/resource/gpu", { body }); // cheapest SKU
    expect(first.status).toBe(202);
    expect((await call(emu, "POST", "/resource/gpu", { body })).status).toBe(202); // next SKU
    const third = await call(emu, "POST", "/resource/gpu", { body });
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({
      success: false,
      message:
        "Inventory depleted - The chosen GPU configuration is no longer available at this location. Please refresh the order page to get current inventory.",
      error: { statusCode: 409 },
    });
    const del = await call(emu, "DELETE", `/resource/gpu/${first.body.data.jobs[0].resourceId}`);
    await pollJobToEnd(emu, del.body.data.jobId);
    expect((await call(emu, "POST", "/resource/gpu", { body })).status).toBe(202);
  });
});

describe("update, list, jobs batch, out-of-band changes", () => {
  let emu: GpcnEmulator;
  beforeAll(async () => {
    emu = await startGpcnEmulator({ rateLimit: null, seed: 7 });
  });
  afterAll(() => emu.close());

  async function newVm(name: string): Promise<string> {
    const res = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu, name) });
    return res.body.data.jobs[0].resourceId;
  }

  it("PUT changes name, username, ssh key link and resource group; rejects the rest", async () => {
    const id = await newVm("put-me");
    const renamed = await call(emu, "PUT", `/resource/gpu/${id}`, { body: { name: "renamed", username: "dev_user" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ id, name: "renamed", username: "dev_user" });
    const unlinked = await call(emu, "PUT", `/resource/gpu/${id}/`, { body: { sshKeyId: null } });
    expect(unlinked.body.data).toMatchObject({ sshKeyId: null, sshKeyName: null });
    const groups = await call(emu, "GET", "/resource-groups");
    expect((await call(emu, "PUT", `/resource/gpu/${id}`, { body: { resourceGroupId: groups.body.data[0].id } })).status).toBe(200);

    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await call(emu, "PUT", `/resource/gpu/${id}`, { body: { username: "x" } })).status).toBe(422);
    expect((await call(emu, "PUT", `/resource/gpu/${id}`, { body: { gpuCount: 2 } })).status).toBe(422);
    expect((await call(emu, "PUT", `/resource/gpu/${id}`, { body: {} })).status).toBe(422);
    expect((await call(emu, "PUT", `/resource/gpu/${id}`, { body: { sshKeyId: missing } })).status).toBe(404);
    expect((await call(emu, "PUT", `/resource/gpu/${id}`, { body: { resourceGroupId: missing } })).status).toBe(404);
    expect((await call(emu, "PUT", `/resource/gpu/${missing}`, { body: { name: "x" } })).status).toBe(404);
  });

  it("pages, searches and sorts the VM list", async () => {
    for (let i = 0; i < 12; i++) await newVm(`page-vm-${String(i).padStart(2, "0")}`);
    const first = await call(emu, "GET", "/resource/gpu?search=page-vm");
    expect(first.body.data).toHaveLength(10);
    expect(first.body.meta).toEqual({ total: 12, page: 1, pageSize: 10, totalPages: 2, hasNextPage: true, hasPreviousPage: false });
    expect(first.body.data[0].name).toBe("page-vm-11"); // default createdAt:desc
    // List items carry only the summary fields.
    expect(Object.keys(first.body.data[0]).sort()).toEqual(
      ["configuration", "createdAt", "datacenter", "deletedAt", "id", "ip", "name", "resourceGroupId", "resourceGroupName", "status", "updatedAt"].sort(),
    );
    const second = await call(emu, "GET", "/resource/gpu?search=page-vm&page=2");
    expect(second.body.data).toHaveLength(2);
    expect(second.body.meta).toMatchObject({ page: 2, hasNextPage: false, hasPreviousPage: true });
    const sorted = await call(emu, "GET", "/resource/gpu?search=PAGE-VM&sort=name:asc&limit=3");
    expect(sorted.body.data.map((v: { name: string }) => v.name)).toEqual(["page-vm-00", "page-vm-01", "page-vm-02"]);
    for (const bad of ["limit=0", "limit=101", "page=0", "sort=price:asc"]) {
      expect((await call(emu, "GET", `/resource/gpu?${bad}`)).status).toBe(422);
    }
    const groups = await call(emu, "GET", "/resource-groups");
    const inGroup = await call(emu, "GET", `/resource/gpu?limit=100&resourceGroupId=${groups.body.data[0].id}`);
    expect(inGroup.body.meta.total).toBe(emu.vms().length);
  });

  it("batches job reads: 1-50 ids, unknown ids silently left out", async () => {
    const id = await newVm("jobs");
    const jobId = emu.jobs().find((j) => j.resourceId === id)!.jobId;
    const res = await call(emu, "POST", "/resource/jobs/", { body: { jobIds: [jobId, "00000000-0000-4000-8000-000000000000", "nope"] } });
    expect(res.status).toBe(200);
    expect(res.body.data.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobId]);
    expect((await call(emu, "POST", "/resource/jobs", { body: { jobIds: [] } })).status).toBe(422);
    const tooMany = await call(emu, "POST", "/resource/jobs", { body: { jobIds: Array.from({ length: 51 }, () => jobId) } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details.issues[0].path).toBe("jobIds");
    expect((await call(emu, "POST", "/resource/jobs", { body: { jobIds: Array.from({ length: 50 }, () => jobId) } })).status).toBe(200);
    expect((await call(emu, "POST", "/resource/jobs", { body: { jobIds: "x" } })).status).toBe(422);
  });

  it("applies out-of-band deletes and renames", async () => {
    const a = await newVm("oob-a");
    const b = await newVm("oob-b");
    expect(emu.renameVmOutOfBand(a, "changed-elsewhere")).toBe(true);
    expect((await call(emu, "GET", `/resource/gpu/${a}`)).body.data.name).toBe("changed-elsewhere");
    expect(emu.deleteVmOutOfBand(b)).toBe(true);
    expect((await call(emu, "GET", `/resource/gpu/${b}`)).status).toBe(404);
    expect(emu.deleteVmOutOfBand(b)).toBe(false);
  });

  it("counts requests per route", async () => {
    const stats = emu.stats();
    expect(stats.byRoute["POST /v1/resource/gpu"]).toBeGreaterThan(10);
    expect(stats.requests).toBe(emu.requests().filter((r) => !r.admin).length);
    expect(stats.vmsCreated).toBeGreaterThan(10);
  });
});

it("gives the same ids for the same seed", async () => {
  const ids: string[][] = [];
  for (let run = 0; run < 2; run++) {
    const emu = await startGpcnEmulator({ seed: "same", rateLimit: null });
    try {
      const res = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu) });
      const job = res.body.data.jobs[0];
      ids.push([job.resourceId, job.jobId, emu.sshKeys()[0].id]);
    } finally {
      await emu.close();
    }
  }
  expect(ids[0]).toEqual(ids[1]);
});
