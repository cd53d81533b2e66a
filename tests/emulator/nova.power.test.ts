/**
 * Nova's power routes (POST /vms/{id}/stop|start, inferred in nova.md §4) and their documented
 * billing effect (§8): a stopped VM bills only its storage, a started one GPUs and storage again.
 * The figures come from what the emulator serves (the VM's own rates), not from numbers copied here.
 */

import { EmulatedClock, startNovaEmulator, type NovaEmulator } from "../../emulator";

const KEY = "nv_live_emulator_power";
let wall: number;
let emu: NovaEmulator;

beforeEach(async () => {
  wall = Date.UTC(2026, 2, 1, 10, 0, 0);
  emu = await startNovaEmulator({ apiKeys: [KEY], clock: new EmulatedClock({ now: () => wall }), rateLimit: null, seed: "power", account: { balance: 1000, maxVms: 10, maxHourlySpend: 100 }, stopSeconds: 10, startSeconds: 20 });
});
afterEach(() => emu.close());

async function call(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${KEY}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test("stop ends GPU billing and keeps storage billing; start bills both again", async () => {
  await call("POST", "/ssh-keys", { ssh_public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN0nea7LUTWq0sHxW0vITyu8FCzVDO11LZ+h6Th9xEZ4 me" });
  const vm = (await call("POST", "/vms", { node: "vm01", gpu_type: "4090", gpu_count: 1, storage_gb: 200, template_vmid: 101 })).body;
  wall += 91_000;
  const running = (await call("GET", `/vms/${vm.id}`)).body;
  expect(running.status).toBe("running");
  expect(running.storage_hourly_rate).toBeGreaterThan(0);
  expect(running.gpu_hourly_rate).toBeGreaterThan(running.storage_hourly_rate);
  const spend = async () => (await call("GET", "/billing/current-spend")).body;
  expect((await spend()).total_per_hour).toBeCloseTo(running.gpu_hourly_rate + running.storage_hourly_rate, 4);

  expect((await call("POST", `/vms/${vm.id}/stop`)).body.status).toBe("stopping");
  wall += 10_000;
  const stopped = (await call("GET", `/vms/${vm.id}`)).body;
  expect(stopped).toMatchObject({ status: "stopped", storage_hourly_rate: running.storage_hourly_rate, stopped_at: expect.any(String) });
  const whileStopped = await spend();
  expect(whileStopped).toMatchObject({ running_vms: 0, total_per_hour: running.storage_hourly_rate });
  expect(whileStopped.vms).toEqual([expect.objectContaining({ id: vm.id, status: "stopped", hourly_rate: running.storage_hourly_rate })]);

  expect((await call("POST", `/vms/${vm.id}/stop`)).status).toBe(400); // already stopped: wrong-state action
  expect((await call("POST", `/vms/${vm.id}/start`)).body.status).toBe("starting");
  wall += 20_000;
  expect((await call("GET", `/vms/${vm.id}`)).body.status).toBe("running");
  expect((await spend()).total_per_hour).toBeCloseTo(running.gpu_hourly_rate + running.storage_hourly_rate, 4);
});
