import { NOVA_DEFAULT_API_KEY, startNovaEmulator, type NovaEmulator } from "../../emulator";
import { setLogSink } from "../../provider/core/progressLog";
import { NovaClient } from "../../provider/nova/client";
import { applyPowerState, powerStateOf, stoppedPricePerHour } from "../../provider/nova/powerState";

// provider/nova/powerState.ts against the Nova emulator (its inferred POST /vms/{id}/stop|start):
// a stop waits for `stopped` and leaves the VM billing only its storage, a start waits for a running
// VM with an IP, a VM already there gets no request, and a Nova without the routes is a clear error.

let emu: NovaEmulator;
let client: NovaClient;
const logs: string[] = [];

async function startEmu(unsupportedRoutes: string[] = []) {
  emu = await startNovaEmulator({ timeScale: 600, rateLimit: null, seed: "power", account: { balance: 1000, maxVms: 10, maxHourlySpend: 100 }, unsupportedRoutes: unsupportedRoutes as any });
  client = new NovaClient({ endpoint: emu.url, apiKey: NOVA_DEFAULT_API_KEY, rateBudget: null });
}
beforeAll(() => setLogSink((level, m) => logs.push(`${level}: ${m}`)));
afterAll(() => setLogSink(undefined));
afterEach(() => emu.close());

async function runningVm(): Promise<string> {
  await client.createSshKey({ ssh_public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN0nea7LUTWq0sHxW0vITyu8FCzVDO11LZ+h6Th9xEZ4 me" });
  const vm = await client.createVm({ node: "vm01", gpu_type: "4090", gpu_count: 1, storage_gb: 100, template_vmid: 101 });
  // Provisioning takes 90 emulated seconds (0.15 s here); start is the same wait as after a stop.
  return (await applyPowerState(client, vm.id, "trainer", "running", Date.now() + 30_000)).id;
}
const powerPosts = () => emu.requests().filter((r) => r.method === "POST" && /\/vms\/[^/]+\/(start|stop)$/.test(r.path)).map((r) => r.path.split("/").pop());

test("stop in place, then start; the stopped VM bills only its storage, as the emulator serves it", async () => {
  await startEmu();
  const id = await runningVm();
  expect(powerPosts()).toEqual([]); // it was already on its way to running: no start sent

  const stopped = await applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000);
  expect(stopped.status).toBe("stopped");
  expect(powerStateOf(stopped)).toBe("stopped");
  const served = emu.vms().find((v) => v.id === id)!;
  expect(served.status).toBe("stopped");
  expect(stoppedPricePerHour(stopped)).toBe(served.storage_hourly_rate);
  expect(logs.some((l) => l.includes(`stopping VM ${id}`) && l.includes(`keeps billing its storage ($${served.storage_hourly_rate}/h)`))).toBe(true);

  // Already stopped: nothing is sent.
  await applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000);
  expect(powerPosts()).toEqual(["stop"]);

  const running = await applyPowerState(client, id, "trainer", "running", Date.now() + 30_000);
  expect(running).toMatchObject({ status: "running", ip: expect.any(String) });
  expect(powerStateOf(running)).toBe("running");
  expect(stoppedPricePerHour(running)).toBeUndefined();
  expect(powerPosts()).toEqual(["stop", "start"]);
}, 60_000);

test("an interrupted VM counts as stopped and a start brings it back", async () => {
  await startEmu();
  const id = await runningVm();
  expect(emu.interruptVm(id)).toBe(true);
  expect(powerStateOf(await client.getVm(id))).toBe("stopped");
  expect((await applyPowerState(client, id, "trainer", "running", Date.now() + 30_000)).status).toBe("running");
}, 60_000);

test("a Nova without the inferred power routes: a clear error naming the route, the VM left as it was", async () => {
  await startEmu(["POST /vms/:id/:action"]);
  const id = await runningVm();
  await expect(applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000)).rejects.toThrow(
    `Nova has no POST /vms/{id}/stop route (it is inferred, not documented): VM ${id} ("trainer") stays running`,
  );
  expect(emu.vms().find((v) => v.id === id)!.status).toBe("running");
}, 60_000);

test("a VM that is gone is a clear error, not a wait", async () => {
  await startEmu();
  const id = await runningVm();
  emu.destroyVmOutOfBand(id);
  await expect(applyPowerState(client, id, "trainer", "stopped", Date.now() + 30_000)).rejects.toThrow(/no longer exists; run `pulumi refresh`/);
}, 60_000);
