import { handlerFor } from "../../provider";
import { doors } from "../harness/doors";
import { HostCallError, type Props } from "../harness/dynamicHost";
import { captureProgressLogs } from "../harness/progressLogs";
import { CLOUDS, configSource, liveMachines, offerOf, PASSWORD, PUBLIC_KEY, startMultiCloudStack, type MultiCloudStack } from "./multiCloudStack";

// The leftover test makes its machine with the GPCN handler in this process: its progress lands here.
const inProcessLogs = captureProgressLogs();

// multicloud:GpuVm through both doors (Pulumi's real dynamic-provider host, the native plugin),
// four emulators behind it.

describe.each(doors)("multicloud:GpuVm via %s", (door) => {
  let stack: MultiCloudStack;
  let sshKeyId: string;
  beforeAll(async () => {
    stack = await startMultiCloudStack(undefined, door);
    sshKeyId = (await stack.host.create(stack.urnOf("key"), stack.byName("key").inputs)).id;
  }, 60_000);
  afterAll(() => stack?.close());
  afterEach(() => {
    for (const c of ["gpcn", "nova", "novita", "fluence"] as const) stack.emulators[c].faults.clear();
  });

  const offer = {
    gpcn: () => offerOf("gpcn", sshKeyId),
    nova: (extra: Props = {}) => offerOf("nova", sshKeyId, extra),
    novita: () => offerOf("novita", sshKeyId),
    fluence: () => offerOf("fluence", sshKeyId),
  };
  const vmProps = (name: string, more: Props): Props => ({ ...stack.byName("vm").inputs, name, ...more });
  const urn = () => stack.urnOf("vm");

  async function createFails(props: Props): Promise<HostCallError> {
    const err = await stack.checkAndCreate("vm", props).then(
      () => undefined,
      (e) => e,
    );
    if (!(err instanceof HostCallError)) throw new Error(`create should have failed, got ${JSON.stringify(err)}`);
    return err;
  }

  test("a capacity-failed first offer is skipped; the VM is made on the second and the choice recorded", async () => {
    const before = liveMachines(stack.emulators);
    stack.emulators.gpcn.faults.set("capacityNextCreates", { count: 1 });
    const { id, properties } = await stack.checkAndCreate("vm", vmProps("fallback-1", { offers: [offer.gpcn(), offer.nova()] }));

    expect(properties.cloud).toBe("nova");
    expect(properties.chosenOffer).toMatchObject({ index: 1, cloud: "nova", source: "offers", inputs: offer.nova().inputs });
    expect(properties.attempts).toEqual([{ index: 0, cloud: "gpcn", offer: expect.stringContaining("h100_series×1"), outcome: expect.stringMatching(/Inventory depleted/) }]);
    expect(properties.status).toBe("running");
    const after = liveMachines(stack.emulators);
    expect(after.gpcn).toEqual(before.gpcn);
    expect(after.nova).toEqual([...before.nova, id]);
    expect(stack.emulators.nova.vms().find((v) => v.id === id)?.instance_label).toBe("fallback-1");

    // Later, the offers list changes: stored, never a replacement.
    const changed = await stack.host.diff(id, urn(), properties, vmProps("fallback-1", { offers: [offer.novita()], createTimeoutSeconds: 1800, deleteTimeoutSeconds: 900 }));
    expect(changed).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    const same = await stack.host.diff(id, urn(), properties, vmProps("fallback-1", { offers: [offer.gpcn(), offer.nova()], createTimeoutSeconds: 1800, deleteTimeoutSeconds: 900 }));
    expect(same.changes).toBe("DIFF_NONE");

    // A rename goes through Nova, in place.
    const renamedInputs = vmProps("fallback-renamed", { offers: [offer.novita()], createTimeoutSeconds: 1800, deleteTimeoutSeconds: 900 });
    expect(await stack.host.diff(id, urn(), properties, renamedInputs)).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
    const updated = await stack.host.update(id, urn(), properties, renamedInputs);
    expect(updated.properties).toMatchObject({ name: "fallback-renamed", cloud: "nova", offers: [offer.novita()], chosenOffer: { index: 1, cloud: "nova" } });
    expect(stack.emulators.nova.vms().find((v) => v.id === id)?.instance_label).toBe("fallback-renamed");

    // Refresh reads it back from Nova; delete removes it there.
    const read = await stack.host.read(id, urn(), updated.properties);
    expect(read).toMatchObject({ id, properties: { cloud: "nova", status: "running", name: "fallback-renamed" }, inputs: { name: "fallback-renamed" } });
    await stack.host.delete(id, urn(), updated.properties);
    expect(liveMachines(stack.emulators).nova).not.toContain(id);
    expect((await stack.host.read(id, urn(), updated.properties)).id).toBe("");
  });

  test("every offer out of capacity: one error listing each offer and its cloud's answer, no VM anywhere", async () => {
    const before = liveMachines(stack.emulators);
    stack.emulators.gpcn.faults.set("capacityNextCreates", { count: 1 });
    stack.emulators.nova.faults.set("capacityNextCreates", { count: 1 });
    stack.emulators.novita.faults.set("rejectNextCreates", { count: 1, reason: "INSUFFICIENT_RESOURCE" });
    stack.emulators.fluence.faults.set("planGoneNextDeploys", { count: 1 });
    const err = await createFails(vmProps("all-full", { offers: [offer.gpcn(), offer.nova(), offer.novita(), offer.fluence()] }));

    expect(err.initFailed).toBeUndefined();
    expect(err.message).toMatch(/multicloud:GpuVm "all-full": out of capacity; tried 4 offers: /);
    expect(err.message).toMatch(/gpcn h100_series×1 in datacenter \S+ → [^;]*Inventory depleted/);
    expect(err.message).toMatch(/nova 4090×1 on the cheapest node → [^;]*Not enough available GPUs/);
    expect(err.message).toMatch(/novita RTX 4090×1 in any cluster → [^;]*INSUFFICIENT_RESOURCE|insufficient resource/i);
    expect(err.message).toMatch(/fluence plan \S+ → [^;]*no longer available/i);
    expect(liveMachines(stack.emulators)).toEqual(before);
  });

  test("a non-capacity failure stops at that offer: later offers are not tried", async () => {
    const before = liveMachines(stack.emulators);
    const novitaCreates = () => stack.emulators.novita.requests().filter((r) => r.method === "POST" && r.path.endsWith("/create")).length;
    const sent = novitaCreates();
    // Nova sells no GPU "9999": a validation error from the cloud, not capacity.
    const err = await createFails(vmProps("not-capacity", { offers: [offer.nova({ gpuType: "9999" }), offer.novita()] }));
    expect(err.message).toMatch(/offer 0 \(nova 9999×1 on the cheapest node\) failed, later offers were not tried/);
    expect(err.message).toMatch(/no offers for GPU type "9999"/);
    expect(novitaCreates()).toBe(sent);
    expect(liveMachines(stack.emulators)).toEqual(before);
  });

  test("check refuses a bad offer with the cloud's own rule, naming the offer", async () => {
    const res = await stack.host.check(urn(), {}, vmProps("bad-offer", { offers: [offer.novita(), offer.nova({ gpuCount: 3 }), { cloud: "nova", inputs: { gpuType: "4090", gpuCount: 1, storageGb: 100 } }] }));
    expect(res.failures).toEqual([
      { property: "offers[1].inputs.gpuCount", reason: "must be 1, 2, 4 or 8" },
      { property: "offers[2].inputs.sshKeyId", reason: expect.stringMatching(/is required when authMethod is ssh_key/) },
    ]);
    const none = await stack.host.check(urn(), {}, vmProps("no-offers", { offers: undefined }));
    expect(none.failures).toEqual([{ property: "offers", reason: "set offers, a policy, or both" }]);
  });

  test("a VM that exists but fails to provision is a partial create with its id; no next offer is tried", async () => {
    const before = liveMachines(stack.emulators);
    stack.emulators.nova.faults.set("failNextCreates", { count: 1 });
    const err = await createFails(vmProps("half-made", { offers: [offer.nova(), offer.novita()] }));

    const partial = err.initFailed!;
    expect(partial.id).toBeTruthy();
    expect(stack.emulators.nova.vms().map((v) => v.id)).toContain(partial.id);
    expect(partial.properties).toMatchObject({ cloud: "nova", name: "half-made", chosenOffer: { index: 0, cloud: "nova" } });
    if (door === "dynamic") expect(typeof partial.properties.__provider).toBe("string");
    expect(err.message).toMatch(/status failed/);
    expect(liveMachines(stack.emulators).novita).toEqual(before.novita);

    // The recorded state is enough to delete it.
    await stack.host.delete(partial.id, urn(), partial.properties);
    expect(liveMachines(stack.emulators).nova).not.toContain(partial.id);
  });

  test("on a cloud that cannot rename (Novita), a new name replaces; the replacement is a new machine and, after the old id is deleted, exactly one lives", async () => {
    const olds = (await stack.host.check(urn(), {}, vmProps("novita-one", { offers: [offer.novita()] }))).inputs;
    const { id, properties } = await stack.host.create(urn(), olds);
    expect(properties).toMatchObject({ cloud: "novita", attempts: [], chosenOffer: { index: 0 } });
    // The next `up` as the engine runs it: check against the old inputs, diff, create, delete the old id (issue 21).
    const checked = await stack.host.check(urn(), olds, vmProps("novita-two", { offers: [offer.novita()] }));
    const diff = await stack.host.diff(id, urn(), properties, checked.inputs, olds);
    expect(diff).toMatchObject({ changes: "DIFF_SOME", replaces: ["name"] });
    const replacement = await stack.host.create(urn(), checked.inputs);
    expect(replacement.id).not.toBe(id);
    await stack.host.delete(id, urn(), properties);
    expect(liveMachines(stack.emulators).novita.filter((m) => [id, replacement.id].includes(m))).toEqual([replacement.id]);
    await stack.host.delete(replacement.id, urn(), replacement.properties);
  });

  test("a policy tries the cheapest offer first and falls through capacity to the next cheapest", async () => {
    const policy = {
      gpu: "RTX 4090",
      gpuCount: 1,
      maxPricePerHour: 1,
      extras: {
        nova: { storageGb: 100, authMethod: "password", password: PASSWORD },
        novita: { rootfsSize: 60, imageUrl: "docker.io/pytorch/pytorch:latest" },
        fluence: { osImage: "ubuntu22.04", sshPublicKey: PUBLIC_KEY },
      },
    };
    // Novita's 4090s are cheapest ($0.35/h in two clusters, $0.39/h in a third), then Fluence at $0.45/h.
    stack.emulators.novita.faults.set("rejectNextCreates", { count: 3, reason: "INSUFFICIENT_RESOURCE" });
    const { id, properties } = await stack.checkAndCreate("vm", vmProps("by-policy", { offers: undefined, policy }));
    expect(properties.attempts.map((a: Props) => [a.cloud, a.offer])).toEqual([
      ["novita", "RTX 4090×1 in AS-SGP-02 (Singapore)"],
      ["novita", "RTX 4090×1 in US-CA-06 (California)"],
      ["novita", "RTX 4090×1 in EU-DE-01 (Frankfurt)"],
    ]);
    expect(properties).toMatchObject({ cloud: "fluence", chosenOffer: { index: 3, source: "policy", pricePerHour: 0.45, currency: "USDC", inputs: { planId: expect.any(String), osImage: "ubuntu22.04" } } });
    expect(liveMachines(stack.emulators).fluence).toContain(id);
    await stack.host.delete(id, urn(), properties);
    expect(liveMachines(stack.emulators).fluence).not.toContain(id);
  });

  // Issues 20 and 17: multicloud:GpuVm creates of one configuration at once, while the first cloud
  // loses one create's answer (the k-th, seeded). Each must end on that cloud with its own machine:
  // no fallback to the second offer (that would leave the lost one behind), no machine taken twice.
  // Nova on a node with room for the whole fleet (concurrent creates share one cheapest-offer read).
  const offers = (cloud: (typeof CLOUDS)[number]) => offerOf(cloud, sshKeyId, cloud === "nova" ? { node: "vm01" } : {});
  const loseAnswer = (cloud: (typeof CLOUDS)[number], skip: number) =>
    cloud === "fluence"
      ? stack.emulators.fluence.faults.set("loseDeployResponse", { count: 1, skip })
      : stack.emulators[cloud].faults.set("loseCreateResponse", { count: 1, skip });

  const N = 3;
  const SEED = Number(process.env.FAULT_MATRIX_SEED ?? 20);

  test.each(CLOUDS.map((c, i) => [c, CLOUDS[(i + 1) % CLOUDS.length]] as const))(
    `${N} multicloud VMs of one configuration at once on %s (fallback %s), the k-th answer lost (seed ${SEED}): ${N} machines there, none on the fallback, none unrecorded`,
    async (first, second) => {
      const k = (SEED + CLOUDS.indexOf(first)) % N;
      const before = liveMachines(stack.emulators);
      loseAnswer(first, k);
      const names = Array.from({ length: N }, (_, i) => `mc-${first}-${i}`);
      const created = await Promise.all(names.map((name) => stack.checkAndCreate("vm", { ...stack.byName("vm").inputs, name, offers: [offers(first), offers(second)] })));
      const ids = created.map((c) => c.id);
      expect(created.map((c) => c.properties.cloud)).toEqual(Array(N).fill(first));
      expect(new Set(ids).size).toBe(N);
      const after = liveMachines(stack.emulators);
      expect(after[first].filter((id) => !before[first].includes(id)).sort()).toEqual([...ids].sort());
      expect(after[second]).toEqual(before[second]);
      expect(stack.emulators[first].stats().faultsFired[first === "fluence" ? "loseDeployResponse" : "loseCreateResponse"]).toBeGreaterThanOrEqual(1);
      await Promise.all(created.map((c) => stack.host.delete(c.id, stack.urnOf("vm"), c.properties)));
      expect(liveMachines(stack.emulators)[first]).toEqual(before[first]);
    },
  );

  test("a machine of this name and offer that no resource records fails the create closed, naming it as adoptId `gpcn:<id>`; nothing is bought, on no cloud; that adoptId takes it", async () => {
    // Made by another process (as by a killed `up`): this provider process never heard of it.
    const cfg = configSource(stack.emulators.config);
    const gpcnVm = handlerFor("gpcn:GpuVm");
    const checked = await gpcnVm.check(cfg, {}, { ...offer.gpcn().inputs, name: `mc-leftover-${door}` });
    const leftover = await gpcnVm.create(cfg, checked.inputs);
    expect(inProcessLogs.some((l) => l.message.startsWith(`gpcn:GpuVm "mc-leftover-${door}": completed 100%`))).toBe(true);
    const before = liveMachines(stack.emulators);

    const err = await createFails(vmProps(`mc-leftover-${door}`, { offers: [offer.gpcn(), offer.nova()] }));
    expect(err.message).toContain(leftover.id);
    expect(err.message).toMatch(/\[code AMBIGUOUS_ADOPTION\]/);
    expect(err.message).toContain("adoptId takes `gpcn:<id>`");
    expect(liveMachines(stack.emulators)).toEqual(before); // no fallback to Nova either

    const adopted = await stack.checkAndCreate("vm", vmProps(`mc-leftover-${door}`, { adoptId: `gpcn:${leftover.id}`, offers: [offer.gpcn(), offer.nova()] }));
    expect(adopted).toMatchObject({ id: leftover.id, properties: { cloud: "gpcn" } });
    expect(liveMachines(stack.emulators)).toEqual(before);
    await stack.host.delete(adopted.id, urn(), adopted.properties);
    expect(liveMachines(stack.emulators).gpcn).not.toContain(leftover.id);
  });

  test("adoptId names the cloud: the machine is checked against the offer there and taken over, nothing is bought; a mismatch adopts nothing", async () => {
    // A machine the stack does not record (made through the resource, then forgotten).
    const made = await stack.checkAndCreate("vm", vmProps("adopt-me", { offers: [offer.nova({ node: "vm01" })] }));
    const before = liveMachines(stack.emulators);

    const mismatch = await createFails(vmProps("adopt-me", { adoptId: `nova:${made.id}`, offers: [offer.gpcn(), offer.nova({ node: "vm01", gpuCount: 2 })] }));
    expect(mismatch.message).toMatch(new RegExp(`cannot adopt Nova VM ${made.id}: .*gpuCount: it has 1, the program declares 2`));
    expect(liveMachines(stack.emulators)).toEqual(before);

    const adopted = await stack.checkAndCreate("vm", vmProps("adopt-me", { adoptId: `nova:${made.id}`, offers: [offer.gpcn(), offer.nova({ node: "vm01" })] }));
    expect(adopted.id).toBe(made.id);
    expect(adopted.properties).toMatchObject({ cloud: "nova", adoptId: `nova:${made.id}`, chosenOffer: { index: 1, cloud: "nova" }, attempts: [] });
    expect(liveMachines(stack.emulators)).toEqual(before); // nothing created on any cloud

    const unknownCloud = await stack.host.check(urn(), {}, vmProps("adopt-me", { adoptId: `aws:${made.id}`, offers: [offer.nova()] }));
    expect(unknownCloud.failures.map((f) => f.property)).toContain("adoptId");
    const noOfferThere = await stack.host.check(urn(), {}, vmProps("adopt-me", { adoptId: `gpcn:${made.id}`, offers: [offer.nova()] }));
    expect(noOfferThere.failures).toEqual([expect.objectContaining({ property: "adoptId", reason: expect.stringMatching(/no offer is on that cloud/) })]);

    await stack.host.delete(adopted.id, urn(), adopted.properties);
    expect(liveMachines(stack.emulators).nova).not.toContain(made.id);
  });
});
