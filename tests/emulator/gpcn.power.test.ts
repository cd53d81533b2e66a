/** Single-VM start/stop of GPCN's older guide: state transitions, wrong-state 409, and the 501 knob on start. */

import { EmulatedClock, startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { call, createVmBody } from "./gpcnTestClient";

let wall: number;
let emu: GpcnEmulator;

beforeEach(async () => {
  wall = Date.UTC(2026, 4, 19, 14, 0, 0);
  emu = await startGpcnEmulator({ clock: new EmulatedClock({ now: () => wall }), rateLimit: null, seed: "power", provisioningSeconds: 60, stopSeconds: 10, startSeconds: 20 });
});
afterEach(() => emu.close());

async function runningVm(): Promise<string> {
  const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu, "trainer-1") });
  const id = created.body.data.jobs[0].resourceId as string;
  wall += 61_000;
  expect((await call(emu, "GET", `/resource/gpu/${id}`)).body.data.status).toBe("Running");
  return id;
}

const statusOf = async (id: string) => (await call(emu, "GET", `/resource/gpu/${id}`)).body.data.status;

test("stop walks Running → Stopping → Stopped, start Stopped → Starting → Running; the VM keeps its IP and config", async () => {
  const id = await runningVm();
  const before = (await call(emu, "GET", `/resource/gpu/${id}`)).body.data;
  const stop = await call(emu, "POST", `/resource/gpu/${id}/stop`);
  expect(stop).toMatchObject({ status: 200, body: { success: true, data: { id, status: "Stopping" } } });
  wall += 9_000;
  expect(await statusOf(id)).toBe("Stopping");
  wall += 1_000;
  const stopped = (await call(emu, "GET", `/resource/gpu/${id}`)).body.data;
  expect(stopped).toMatchObject({ status: "Stopped", ip: before.ip, configuration: before.configuration });
  expect((await call(emu, "GET", "/resource/gpu")).body.data.find((v: any) => v.id === id).status).toBe("Stopped");

  expect((await call(emu, "POST", `/resource/gpu/${id}/start`)).body.data.status).toBe("Starting");
  wall += 20_000;
  expect(await statusOf(id)).toBe("Running");
});

test("a power action in the wrong state is a 409 naming the status; an unknown VM is a 404", async () => {
  const created = await call(emu, "POST", "/resource/gpu", { body: await createVmBody(emu, "early") });
  const early = created.body.data.jobs[0].resourceId;
  expect(await call(emu, "POST", `/resource/gpu/${early}/stop`)).toMatchObject({ status: 409, body: { success: false, message: "GPU VM cannot stop while Provisioning" } });
  wall += 61_000;
  expect((await call(emu, "POST", `/resource/gpu/${early}/start`)).body.message).toBe("GPU VM cannot start while Running");
  expect((await call(emu, "POST", "/resource/gpu/00000000-0000-4000-8000-000000000000/stop")).status).toBe(404);
});

test("startNotImplemented: start answers 501 in the older guide's shape and the VM stays Stopped; the next start works", async () => {
  const id = await runningVm();
  await call(emu, "POST", `/resource/gpu/${id}/stop`);
  wall += 10_000;
  emu.faults.set("startNotImplemented", { count: 1 });
  const refused = await call(emu, "POST", `/resource/gpu/${id}/start`);
  expect(refused).toMatchObject({ status: 501, body: { success: false, error: "NOT_IMPLEMENTED", message: expect.stringMatching(/not implemented/) } });
  wall += 60_000;
  expect(await statusOf(id)).toBe("Stopped");
  expect((await call(emu, "POST", `/resource/gpu/${id}/start`)).status).toBe(200);
});

test("a stopped VM can be deleted: Deleting, then gone", async () => {
  const id = await runningVm();
  await call(emu, "POST", `/resource/gpu/${id}/stop`);
  wall += 10_000;
  expect((await call(emu, "DELETE", `/resource/gpu/${id}`)).status).toBe(202);
  expect(await statusOf(id)).toBe("Deleting");
  wall += 21_000;
  expect((await call(emu, "GET", `/resource/gpu/${id}`)).status).toBe(404);
});
