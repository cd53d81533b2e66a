import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { captureResources } from "../harness/captureProviders";
import { urn } from "../harness/dynamicHost";
import { REPO_ROOT } from "../harness/programDir";
import { NovaStack, PUBLIC_KEY, startNovaStack } from "./novaStack";

// examples/nova-quickstart as written, under setMocks, then through the host against the emulator.

let stack: NovaStack;
beforeAll(async () => {
  stack = await startNovaStack();
});
afterAll(() => stack.close());

test("examples/nova-quickstart: up creates the key and a 4090 VM on the cheapest node; destroy removes both", async () => {
  const source = fs.readFileSync(path.join(REPO_ROOT, "examples", "nova-quickstart", "index.ts"), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText;
  // The program dir's project is "nova", so the example's own config keys live in that namespace too.
  const resources = await captureResources(stack.program, js, { config: { "nova:endpoint": stack.emulator.url, "nova:publicKey": PUBLIC_KEY } });
  expect(resources.map((r) => `${r.type} ${r.name}`)).toEqual(["pulumi-nodejs:dynamic/nova:SshKey laptop", "pulumi-nodejs:dynamic/nova:GpuVm trainer"]);
  const [keyRes, vmRes] = resources;
  const at = (r: typeof keyRes) => urn(stack.program.project, "test", r.type, r.name);

  const keyIn = (await stack.host.check(at(keyRes), {}, keyRes.inputs)).inputs;
  const key = await stack.host.create(at(keyRes), keyIn);
  const vmChecked = await stack.host.check(at(vmRes), {}, { ...vmRes.inputs, sshKeyId: key.id });
  expect(vmChecked.failures).toEqual([]);
  const vm = await stack.host.create(at(vmRes), vmChecked.inputs);
  expect(vm.properties).toMatchObject({ name: "trainer", node: "vm02", status: "running", templateVmid: "ubuntu-24.04" });
  expect(stack.emulator.vms()).toEqual([expect.objectContaining({ id: vm.id, instance_label: "trainer", node: "vm02" })]);
  await stack.host.delete(vm.id, at(vmRes), vm.properties);
  await stack.host.delete(key.id, at(keyRes), key.properties);
  expect(stack.emulator.vms()).toEqual([]);
  expect(stack.emulator.sshKeys()).toEqual([]);
});
