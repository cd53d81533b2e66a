import { GPCN_DEFAULT_API_KEY, startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { GpuCloudError } from "../../provider/core/errors";
import { setLogSink } from "../../provider/core/progressLog";
import { GpcnClient } from "../../provider/gpcn/client";
import { applyPowerState, powerStateOf } from "../../provider/gpcn/powerState";
import { createVmBody } from "../emulator/gpcnTestClient";

// provider/gpcn/powerState.ts against the GPCN emulator's single-VM start/stop (the older guide):
// stop and start wait for Stopped/Running, a VM already there gets no request, and a 501 on start
// is a clear error naming the cloud, the VM and the older API, with the VM still Stopped.

let emu: GpcnEmulator;
let client: GpcnClient;

beforeAll(() => setLogSink(() => undefined));
afterAll(() => setLogSink(undefined));
beforeEach(async () => {
  emu = await startGpcnEmulator({ timeScale: 600, rateLimit: null, seed: "power" });
  client = new GpcnClient({ endpoint: emu.url, apiKey: GPCN_DEFAULT_API_KEY, rateBudget: null });
});
afterEach(() => emu.close());

const statusOf = (id: string) => emu.vms().find((v) => v.id === id)?.status;
const powerPosts = () => emu.requests().filter((r) => r.method === "POST" && /\/(start|stop)$/.test(r.path)).map((r) => r.path.split("/").pop());

async function newVm(): Promise<string> {
  const job = await client.createVm(await createVmBody(emu, "trainer"));
  return job.resourceId!;
}

test("a stop asked while the VM is still provisioning waits for Running, stops it, and a start brings it back", async () => {
  const id = await newVm();
  expect(statusOf(id)).toBe("Provisioning");
  const stopped = await applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000);
  expect(powerStateOf(stopped)).toBe("stopped");
  expect(statusOf(id)).toBe("Stopped");
  await applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000);
  expect(powerPosts()).toEqual(["stop"]); // already stopped: nothing sent

  const running = await applyPowerState(client, id, "trainer", "running", Date.now() + 30_000);
  expect(powerStateOf(running)).toBe("running");
  expect(statusOf(id)).toBe("Running");
  expect(powerPosts()).toEqual(["stop", "start"]);
}, 60_000);

test("a 501 on start: a clear error naming GPCN, the VM and the older API's start; the VM stays Stopped", async () => {
  const id = await newVm();
  await applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000);
  emu.faults.set("startNotImplemented", { count: 1 });
  const err = await applyPowerState(client, id, "trainer", "running", Date.now() + 30_000).catch((e) => e);
  expect(err).toBeInstanceOf(GpuCloudError);
  expect(err.cloud).toBe("gpcn");
  expect(err.status).toBe(501);
  expect(err.message).toContain(`GPCN cannot start VM ${id} ("trainer"): the older API's single-VM start (POST /resource/gpu/{id}/start) is not available (501:`);
  expect(err.message).toContain("the VM stays stopped");
  expect(statusOf(id)).toBe("Stopped");
  expect(powerStateOf(await client.getVm(id))).toBe("stopped");
}, 60_000);

test("a VM deleted meanwhile is a clear error", async () => {
  const id = await newVm();
  emu.deleteVmOutOfBand(id);
  await expect(applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000)).rejects.toThrow(`GPCN VM ${id} ("trainer") no longer exists`);
}, 60_000);
