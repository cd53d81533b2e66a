import { GpuCloudError } from "../../provider/core/errors";
import { powerPoll, waitForPowerState } from "../../provider/core/powerWait";
import { setLogSink } from "../../provider/core/progressLog";

// The shared wait after a stop or start: the value of the poll that says so, progress lines in
// the resource's words, and a clear error when the cloud's answer carried no machine.

const logs: string[] = [];
beforeAll(() => setLogSink((_level, m) => logs.push(m)));
afterAll(() => setLogSink(undefined));

test("returns the machine from the poll that saw it in the state; progress says stopping", async () => {
  let polls = 0;
  const vm = await waitForPowerState({
    type: "nova:GpuVm",
    cloud: "nova",
    machine: "Nova VM a1",
    name: "trainer",
    to: "stopped",
    deadlineAt: Date.now() + 10_000,
    poll: async () => (++polls < 2 ? { state: "retry", label: "VM stopping", value: { status: "stopping" } } : { state: "success", label: "VM stopped", value: { status: "stopped" } }),
  });
  expect(vm).toEqual({ status: "stopped" });
  expect(polls).toBe(2);
  expect(logs.some((l) => l.startsWith('nova:GpuVm "trainer": stopping, VM stopping'))).toBe(true);
});

test("a success without a machine is a clear error naming the cloud and the state", async () => {
  const err = await waitForPowerState({
    type: "gpcn:GpuVm",
    cloud: "gpcn",
    machine: "GPCN VM b2",
    name: "trainer",
    to: "running",
    deadlineAt: Date.now() + 10_000,
    poll: async () => ({ state: "success", label: "VM gone", value: undefined }),
  }).catch((e) => e);
  expect(err).toBeInstanceOf(GpuCloudError);
  expect(err).toMatchObject({ cloud: "gpcn", message: "GPCN VM b2 did not become running" });
});

test("powerPoll: a named failure ends the wait, the target state succeeds, anything else retries", async () => {
  const poll = (machine: { s?: string; failed?: boolean }) =>
    powerPoll("stopped", async () => machine, (m) => ({ label: `VM ${m?.s}`, state: m?.s === "stopped" ? "stopped" : undefined, failure: m?.failed ? "it failed" : undefined }))();
  expect(await poll({ s: "stopped" })).toMatchObject({ state: "success", label: "VM stopped" });
  expect(await poll({ s: "stopping" })).toMatchObject({ state: "retry", label: "VM stopping" });
  expect(await poll({ s: "stopped", failed: true })).toMatchObject({ state: "failure", message: "it failed" });
});
