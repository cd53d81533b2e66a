import { startGpcnStack, type GpcnStack } from "../gpcn/gpcnStack";
import { nativeResources } from "../harness/doors";
import { urn } from "../harness/dynamicHost";
import { StackRunner } from "../harness/stackRunner";
import type { PluginHost } from "./pluginHost";
import { startPluginHost } from "./pluginHost";

// Moving a stack from the dynamic `gpcn.GpuVm` to the package's `gpucloud:gpcn:GpuVm` without
// touching the VM, as the README describes: the dynamic resource leaves the state with
// `pulumi state delete` (no provider call: the VM stays), then the native resource takes the same
// VM either by import (Read with only the id, then Check + Diff against the program: no change)
// or by `adoptId` (a create that adopts instead of buying). The cloud sees reads only.

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let stack: GpcnStack;
let runner: StackRunner;
let plugin: PluginHost;
let vmId = "";
let keyId = "";
let programVm: Record<string, unknown> = {};

beforeAll(async () => {
  stack = await startGpcnStack();
  runner = new StackRunner(stack.host, stack.program.project, "test");
  await runner.up(stack.resources);
  vmId = runner.state.get("vm")!.id;
  keyId = runner.state.get("key")!.id;
  // The same program written against the package: native types, no __provider, the key's id resolved.
  const native = nativeResources(stack.resources).find((r) => r.name === "vm")!;
  programVm = { ...native.inputs, sshKeyId: keyId };
  plugin = await startPluginHost({ cwd: stack.program.dir, env: { GPCN_API_KEY: "", GPCN_ENDPOINT: "" } });
  await plugin.configure({ gpcnApiKey: stack.apiKey, gpcnEndpoint: stack.emulator.url });
});
afterAll(async () => {
  await plugin?.close();
  await stack.close();
});

const mutatingSince = (n: number) => stack.emulator.requests().slice(n).filter((r) => MUTATING.has(r.method));

test("the dynamic stack made one VM", () => {
  expect(stack.emulator.vms().map((v) => v.id)).toEqual([vmId]);
});

test("import by id: Read returns the VM; the program's inputs check clean and diff to no change; nothing is changed", async () => {
  const u = urn(stack.program.project, "test", "gpucloud:gpcn:GpuVm", "vm");
  const before = stack.emulator.requests().length;
  const read = await plugin.read(vmId, u, {});
  expect(read.id).toBe(vmId);
  const checked = await plugin.check(u, read.inputs!, programVm);
  expect(checked.failures).toEqual([]);
  const diff = await plugin.diff(vmId, u, read.properties, checked.inputs, read.inputs);
  expect({ changes: diff.changes, diffs: diff.diffs }).toEqual({ changes: "DIFF_NONE", diffs: [] });
  expect(mutatingSince(before)).toEqual([]);
  expect(stack.emulator.vms().map((v) => v.id)).toEqual([vmId]);
});

test("adoptId: the native create takes over the same VM, buys nothing, and the next run shows no change", async () => {
  const u = urn(stack.program.project, "test", "gpucloud:gpcn:GpuVm", "vm");
  const before = stack.emulator.requests().length;
  const checked = await plugin.check(u, {}, { ...programVm, adoptId: vmId });
  expect(checked.failures).toEqual([]);
  const adopted = await plugin.create(u, checked.inputs);
  expect(adopted.id).toBe(vmId);
  expect(mutatingSince(before)).toEqual([]);
  expect(stack.emulator.vms().map((v) => v.id)).toEqual([vmId]);
  const again = await plugin.check(u, checked.inputs, { ...programVm, adoptId: vmId });
  const diff = await plugin.diff(vmId, u, adopted.properties, again.inputs, checked.inputs);
  expect(diff.changes).toBe("DIFF_NONE");
});
