import { HostCallError } from "../harness/dynamicHost";
import { GpcnStack, startGpcnStack } from "./gpcnStack";

// GPCN-specific faults; the faults every cloud shares are in tests/reliability/faultMatrix.test.ts.

let stack: GpcnStack;
let keyId = "";
beforeAll(async () => {
  stack = await startGpcnStack();
  keyId = (await stack.host.create(stack.urnOf("key"), stack.byName("key").inputs)).id;
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.faults.clear());

async function vmInputs(name: string) {
  const checked = await stack.host.check(stack.urnOf("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: keyId, name });
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

const vmsNamed = (name: string) => stack.emulator.vms().filter((v) => v.name === name);

test("connection reset on the create POST before GPCN acted: looked up, sent again once, one VM", async () => {
  stack.emulator.faults.set("connectionResetBurst", { count: 1, method: "POST", pathPrefix: "/v1/resource/gpu" });
  const created = await stack.host.create(stack.urnOf("vm"), await vmInputs("reset-1"));
  expect(vmsNamed("reset-1").map((v) => v.id)).toEqual([created.id]);
  expect(stack.emulator.stats().byRoute["POST /v1/resource/gpu"]).toBe(2);
});

test("503 GPU provider not available is a capacity error at the POST, not a timeout", async () => {
  stack.emulator.faults.set("unavailableNextCreates", { count: 1 });
  const err: HostCallError = await stack.host.create(stack.urnOf("vm"), await vmInputs("unavailable")).catch((e) => e);
  expect(err.message).toMatch(/GPU provider not available/);
  expect(err.initFailed).toBeUndefined();
  expect(vmsNamed("unavailable")).toEqual([]);
});

test("a refresh that cannot reach GPCN fails instead of dropping the VM from state", async () => {
  const created = await stack.host.create(stack.urnOf("vm"), await vmInputs("refresh-5xx"));
  stack.emulator.faults.set("serverErrorBurst", { count: 50, status: 500, method: "GET" });
  await expect(stack.host.read(created.id, stack.urnOf("vm"), created.properties)).rejects.toThrow(/HTTP 500/);
});
