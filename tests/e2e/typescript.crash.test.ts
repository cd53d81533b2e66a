import type { GpcnEmulator } from "../../emulator";
import { waitForCondition } from "../harness/waitForCondition";
import { fixtures, GPCN_PROGRAM, gpcnConfig, liveVms, newApiKey, startE2eEmulator } from "./gpcnStack";
import { isAlive, PulumiProject } from "./pulumiProject";

// Crash safety with the real engine: `pulumi up` and its plugins (or `pulumi` alone, whose
// dynamic-provider host then goes on with the create) are SIGKILLed while the VM's create waits
// for the machine to run. The file backend then holds the update's lock, and the
// checkpoint a pending create without an id. What a user runs next (README, "After a crash"):
//   pulumi cancel --yes                            # the dead update's lock (file backend)
//   pulumi refresh --clear-pending-creates --yes   # non-interactive; drops the pending create
//   pulumi up --yes                                # fails closed: AMBIGUOUS_ADOPTION naming the VM
//   pulumi config set adoptId <that id>; pulumi up --yes   # takes it over
// GPCN cannot show that no create finished with a machine of that name (it may be another stack's),
// so the create never adopts it unasked, and never buys a second one either. Either way (with or
// without --clear-pending-creates) the run must end with exactly the program's VM on the emulator,
// recorded: no duplicate, no orphan. Without the flag the stale pending create stays in the
// checkpoint (and every `up` warns of it) until a refresh clears it.

const VM_TYPE = "pulumi-nodejs:dynamic/gpcn:GpuVm";

const started = fixtures();
afterAll(() => started.cleanup());

const vmsInState = async (project: PulumiProject) => (await project.resourcesOfType(VM_TYPE)).map((r) => r.id);
const pendingOps = async (project: PulumiProject) =>
  ((await project.exportState()).deployment.pending_operations ?? []).map((op: any) => [op.type, op.resource.type]);

/**
 * Starts `up`, waits until the VM exists but is not yet running, then SIGKILLs pulumi and all its
 * plugins ("tree"), or pulumi alone ("pulumi"): its dynamic-provider host then lives on, still
 * creating, and its pids come back as `orphans`.
 */
async function crashDuringCreate(name: string, kill: "tree" | "pulumi" = "tree") {
  const apiKey = newApiKey();
  // Real time while `up` is killed: the create job takes 180 s, so the create is surely waiting.
  const { emulator } = started.track({ emulator: await startE2eEmulator(apiKey, 1) });
  const { project } = started.track({ project: await PulumiProject.nodejs(name, { files: { "index.ts": GPCN_PROGRAM }, config: gpcnConfig(emulator, apiKey, name) }) });

  const up = project.start(["up", "--yes", "--skip-preview"]);
  await waitForCondition(() => liveVms(emulator).length === 1, "the VM exists on the emulator", 120_000);
  const [made] = liveVms(emulator);
  expect(made.status).not.toBe("Running"); // the create is still waiting
  let orphans: number[] = [];
  if (kill === "tree") up.killHard();
  else orphans = started.trackPids(up.killPulumiOnly());
  expect((await up.done).signal).toBe("SIGKILL");

  // A second run is refused until the dead update's lock is removed.
  const locked = await project.cli(["refresh", "--yes"], { allowFailure: true });
  expect(locked.code).not.toBe(0);
  expect(locked.stderr).toMatch(/locked/);
  await project.cli(["cancel", "--yes"]);

  // The checkpoint recorded the create as begun, not done: no VM resource, one pending create.
  expect(await vmsInState(project)).toEqual([]);
  expect(await pendingOps(project)).toEqual([["creating", VM_TYPE]]);

  emulator.setTimeScale(60); // the machine may now finish provisioning quickly
  return { emulator, project, made, orphans };
}

/** The next `up` fails closed: the error names the leftover and the remedy; nothing bought, nothing recorded. */
async function upFailsNamingLeftover(project: PulumiProject, emulator: GpcnEmulator, made: { id: string }) {
  const failed = await project.json(["up", "--yes"], { allowFailure: true });
  expect(failed.json.summary.result).toBe("failed");
  const errors = failed.json.events.filter((e: any) => e.diagnosticEvent?.severity === "error").map((e: any) => e.diagnosticEvent.message).join("\n");
  expect(errors).toMatch(/AMBIGUOUS_ADOPTION/);
  expect(errors).toContain(made.id);
  expect(errors).toMatch(/set `adoptId` to its id/);
  expect(liveVms(emulator).map((v) => v.id)).toEqual([made.id]);
  expect(await vmsInState(project)).toEqual([]);
}

/** The user's remedy: `adoptId` = the id the error named, then `up` takes that VM over. */
async function adoptLeftover(project: PulumiProject, made: { id: string }) {
  await project.cli(["config", "set", "adoptId", made.id]);
  return project.json(["up", "--yes"]);
}

async function expectWholeAgain(project: PulumiProject, emulator: GpcnEmulator, made: { id: string }, name: string) {
  const vms = liveVms(emulator);
  expect(vms.map((v) => [v.id, v.name, v.status])).toEqual([[made.id, name, "Running"]]);
  expect(await vmsInState(project)).toEqual([made.id]);
  const { json } = await project.json(["preview"]);
  expect(json.changeSummary).toEqual({ same: 3 }); // nothing left to do
  await project.json(["destroy", "--yes"]);
  expect(liveVms(emulator)).toEqual([]);
}

test("SIGKILL during a waiting create; cancel, refresh --clear-pending-creates, up fails closed naming the VM; adoptId, up: exactly one VM, recorded", async () => {
  const { emulator, project, made } = await crashDuringCreate("crash-cleared");
  await project.json(["refresh", "--yes", "--clear-pending-creates"]);
  expect(await pendingOps(project)).toEqual([]);
  await upFailsNamingLeftover(project, emulator, made);
  await adoptLeftover(project, made);
  await expectWholeAgain(project, emulator, made, "crash-cleared");
}, 600_000);

test("SIGKILL during a waiting create; cancel, plain refresh, up: the engine warns of the pending create, fails closed; adoptId: still exactly one VM", async () => {
  const { emulator, project, made } = await crashDuringCreate("crash-plain");
  await project.json(["refresh", "--yes"]);
  // Non-interactive refresh cannot resolve a pending create: it stays.
  expect(await pendingOps(project)).toEqual([["creating", VM_TYPE]]);
  await upFailsNamingLeftover(project, emulator, made);
  const { json } = await adoptLeftover(project, made);
  const warnings = json.events.filter((e: any) => e.diagnosticEvent?.severity === "warning").map((e: any) => e.diagnosticEvent.message);
  expect(warnings.join("\n")).toMatch(/pending operations from previous deployment/);
  // The VM is adopted, but the engine keeps the stale pending create...
  expect(await vmsInState(project)).toEqual([made.id]);
  expect(await pendingOps(project)).toEqual([["creating", VM_TYPE]]);
  // ...until a refresh clears it.
  await project.json(["refresh", "--yes", "--clear-pending-creates"]);
  expect(await pendingOps(project)).toEqual([]);
  await expectWholeAgain(project, emulator, made, "crash-plain");
}, 600_000);

test("SIGKILL of pulumi alone while a create waits: its provider host lives on; cancel, refresh --clear-pending-creates, up fails closed; adoptId, up: exactly one VM", async () => {
  const { emulator, project, made, orphans } = await crashDuringCreate("crash-orphan", "pulumi");
  expect(orphans.filter(isAlive).length).toBeGreaterThan(0); // the dynamic-provider host, still in its create
  await project.json(["refresh", "--yes", "--clear-pending-creates"]);
  await upFailsNamingLeftover(project, emulator, made);
  await adoptLeftover(project, made);
  await expectWholeAgain(project, emulator, made, "crash-orphan");
}, 600_000);
