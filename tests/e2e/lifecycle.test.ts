import type { GpcnEmulator } from "../../emulator";
import { GPCN_PROGRAM, gpcnConfig, gpcnYamlProgram, liveVms, newApiKey, startE2eEmulator } from "./gpcnStack";
import { PulumiProject } from "./pulumiProject";

// The lifecycle of one SSH key and one VM through the real `pulumi` CLI, for both doors: a
// TypeScript program on the dynamic SDK, and a Pulumi YAML program on the native plugin. Preview,
// up, rename in place, a replace named in the preview, refresh after an out-of-band change,
// destroy. Assertions read `--json` output, `pulumi stack export` and the emulator's own state,
// never console text. Within a door the steps build on each other (one project and stack), in order.

interface Door {
  vmType: string;
  keyType: string;
  /** The default provider resource that the engine gives the stack's config. */
  providerType: string;
  apiKeyConfig: string;
  /** Whether the engine gets the provider's changed keys and detailed diff (the dynamic host drops them). */
  detailedDiff: boolean;
  project(emulator: GpcnEmulator, apiKey: string): Promise<PulumiProject>;
}

const doors: Record<string, Door> = {
  "TypeScript, dynamic SDK": {
    vmType: "pulumi-nodejs:dynamic/gpcn:GpuVm",
    keyType: "pulumi-nodejs:dynamic/gpcn:SshKey",
    providerType: "pulumi:providers:pulumi-nodejs",
    apiKeyConfig: "gpcn:apiKey",
    detailedDiff: false,
    project: (emulator, apiKey) =>
      PulumiProject.nodejs("gpcn-lifecycle", { files: { "index.ts": GPCN_PROGRAM }, config: gpcnConfig(emulator, apiKey, "e2e-trainer") }),
  },
  "YAML, native plugin": {
    vmType: "gpucloud:gpcn:GpuVm",
    keyType: "gpucloud:gpcn:SshKey",
    providerType: "pulumi:providers:gpucloud",
    apiKeyConfig: "gpcnApiKey",
    detailedDiff: true,
    project: (emulator, apiKey) =>
      PulumiProject.yaml("yaml-lifecycle", { files: { "Pulumi.yaml": gpcnYamlProgram("yaml-lifecycle") }, config: gpcnConfig(emulator, apiKey, "e2e-trainer", "native") }),
  },
};

describe.each(Object.keys(doors))("%s", (doorName) => {
  const door = doors[doorName];
  const VM_TYPE = door.vmType;
  const KEY_TYPE = door.keyType;
  const apiKey = newApiKey();
  let emulator: GpcnEmulator;
  let project: PulumiProject;

  beforeAll(async () => {
    emulator = await startE2eEmulator(apiKey);
    project = await door.project(emulator, apiKey);
  }, 120_000);

  afterAll(async () => {
    project?.cleanup();
    await emulator?.close();
  });

  const stepsFor = (json: any, type: string) => (json.steps ?? []).filter((s: any) => s.newState?.type === type || s.oldState?.type === type);
  // Pulumi's dynamic-provider host passes the engine only "changes" and "replaces" from a diff (no
  // changed keys, no detailed diff), so there what an update changes is read from the step's old and
  // new inputs. The native plugin's detailed diff reaches the engine and is checked as well.
  const changedInputs = (step: any) => {
    const olds = step.oldState?.inputs ?? {};
    const news = step.newState?.inputs ?? {};
    return [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
  };
  const vmState = async () => {
    const vms = await project.resourcesOfType(VM_TYPE);
    expect(vms).toHaveLength(1);
    return vms[0];
  };

  test("preview shows one create per resource and creates nothing", async () => {
    const { json } = await project.json(["preview"]);
    for (const type of [VM_TYPE, KEY_TYPE]) {
      expect(stepsFor(json, type).map((s: any) => s.op)).toEqual(["create"]);
    }
    const ops = new Set((json.steps ?? []).map((s: any) => s.op));
    expect([...ops]).toEqual(["create"]);
    expect(json.changeSummary).toMatchObject({ create: expect.any(Number) });
    expect(emulator.vms()).toEqual([]);
    expect(emulator.sshKeys()).toEqual([]);
  }, 180_000);

  test("up creates the key and the VM and returns only once the VM runs", async () => {
    const { json } = await project.json(["up", "--yes"]);
    expect(json.preview.changeSummary).toMatchObject({ create: 3 });
    expect(json.summary).toMatchObject({ result: "succeeded", resourceChanges: { create: 3 } }); // stack, key, VM (the default provider is not counted)
    const vms = liveVms(emulator);
    expect(vms).toHaveLength(1);
    expect(vms[0]).toMatchObject({ name: "e2e-trainer", status: "Running" });
    expect(emulator.sshKeys()).toHaveLength(1);
    const vm = await vmState();
    expect(vm.id).toBe(vms[0].id);
    expect(vm.outputs.status).toBe("Running"); // recorded when create returned: it had waited
  }, 300_000);

  test("the state holds the API key nowhere in plain text, and no resource of ours holds it at all", async () => {
    const plain = await project.exportState();
    expect(plain.text).not.toContain(apiKey);
    // The engine gives the default provider resource its config as inputs (the dynamic-provider
    // host gets the whole stack config), so a key set with `pulumi config set --secret` is kept
    // there, encrypted with the stack's secrets provider. Our resources never hold it.
    const shown = await project.exportState({ showSecrets: true });
    const holders = shown.deployment.resources.filter((r: any) => JSON.stringify(r).includes(apiKey)).map((r: any) => r.type);
    expect(holders).toEqual([door.providerType]);
    const provider = plain.deployment.resources.find((r: any) => r.type === door.providerType);
    expect(provider.inputs[door.apiKeyConfig]).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) });
    // The generated private key is a secret output: ciphertext in the plain export.
    const key = plain.deployment.resources.find((r: any) => r.type === KEY_TYPE);
    expect(key.outputs.privateKey).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) });
  }, 120_000);

  test("a rename previews as an in-place update of name only, and up renames the same VM", async () => {
    const before = await vmState();
    await project.cli(["config", "set", "vmName", "e2e-renamed"]);
    const { json } = await project.json(["preview", "--diff"]);
    const steps = stepsFor(json, VM_TYPE);
    expect(steps.map((s: any) => s.op)).toEqual(["update"]);
    expect(changedInputs(steps[0])).toEqual(["name"]);
    expect(steps[0].replaceReasons ?? []).toEqual([]);
    if (door.detailedDiff) {
      expect(steps[0].diffReasons).toEqual(["name"]);
      expect(steps[0].detailedDiff).toEqual({ name: { kind: "update", inputDiff: true } });
    }
    expect(json.changeSummary).toEqual({ same: 2, update: 1 }); // the stack and the key stay

    await project.json(["up", "--yes"]);
    const vms = liveVms(emulator);
    expect(vms.map((v) => [v.id, v.name])).toEqual([[before.id, "e2e-renamed"]]);
    expect((await vmState()).outputs.name).toBe("e2e-renamed");
  }, 300_000);

  test("a gpuCount change previews as a replace that names gpuCount", async () => {
    await project.cli(["config", "set", "gpuCount", "2"]);
    try {
      const { json } = await project.json(["preview", "--diff"]);
      const steps = stepsFor(json, VM_TYPE);
      const replace = steps.find((s: any) => s.op === "replace");
      expect(replace).toBeDefined();
      expect(replace.replaceReasons).toEqual(["gpuCount"]);
      expect(changedInputs(replace)).toEqual(["gpuCount"]);
      if (door.detailedDiff) expect(replace.detailedDiff).toEqual({ gpuCount: { kind: "update-replace", inputDiff: true } });
      expect(liveVms(emulator)).toHaveLength(1); // a preview touches nothing
    } finally {
      await project.cli(["config", "set", "gpuCount", "1"]);
    }
  }, 300_000);

  test("refresh takes an out-of-band rename into the state; the next preview puts the name back", async () => {
    const vm = await vmState();
    expect(emulator.renameVmOutOfBand(vm.id, "renamed-in-console")).toBe(true);
    await project.json(["refresh", "--yes"]);
    const after = await vmState();
    expect(after.outputs.name).toBe("renamed-in-console");

    const { json } = await project.json(["preview", "--diff"]);
    const steps = stepsFor(json, VM_TYPE);
    expect(steps.map((s: any) => s.op)).toEqual(["update"]);
    expect(steps[0].replaceReasons ?? []).toEqual([]);
    expect([steps[0].oldState.inputs.name, steps[0].newState.inputs.name]).toEqual(["renamed-in-console", "e2e-renamed"]);
    // Known: Read reports the cloud-filled defaults (seriesId, skuCode, username, resourceGroupId) as
    // inputs, so after a refresh they show as dropped inputs until the next up; the provider's diff
    // (olds = outputs for dynamic providers) does not act on them. Nothing else may differ.
    const others = changedInputs(steps[0]).filter((k) => k !== "name");
    for (const k of others) expect([k, steps[0].newState.inputs[k]]).toEqual([k, undefined]);
    expect(others.every((k) => ["seriesId", "skuCode", "username", "resourceGroupId"].includes(k))).toBe(true);
  }, 300_000);

  test("destroy deletes the VM and the key and leaves the emulator empty", async () => {
    await project.json(["destroy", "--yes"]);
    expect(liveVms(emulator)).toEqual([]);
    expect(emulator.sshKeys()).toEqual([]);
    expect(await project.resourcesOfType(VM_TYPE)).toEqual([]);
  }, 300_000);
});
