import type { AdoptionScope } from "../../provider/core/adoptionLedger";
import { adoptionLedger } from "../../provider/core/adoptionLedger";
import { AmbiguousAdoptionError, Candidate, createOnce, serializedBy } from "../../provider/core/createOnce";
import { ConnectionError, ValidationError } from "../../provider/core/errors";
import { captureProgressLogs } from "../harness/progressLogs";

// The adoption rules (README "When a create adopts an existing machine") on a scripted cloud: what
// the look-ups list, what the POST does, and what the engine told the process.

const logs = captureProgressLogs();
const logged = (level: "info" | "warn", text: string) => logs.some((l) => l.level === level && l.message.includes(text));

interface Cloud {
  machines: Candidate<string>[];
  posts: number;
}

const lost = () => new ConnectionError("socket hang up", { cloud: "test", maybeProcessed: true });

function scope(over: Partial<AdoptionScope> = {}, claimed = new Set<string>()): AdoptionScope & { claimed: Set<string> } {
  return { recordedResource: false, isClaimed: (id) => claimed.has(id), claim: (id) => void claimed.add(id), claimed, ...over };
}

function run(cloud: Cloud, s: AdoptionScope, send: () => Promise<string>, opts: { listable?: boolean; takeOver?: boolean } = {}) {
  return createOnce<string>({
    what: `test:GpuVm "a"`,
    cloud: { name: "test", label: "Test" },
    scope: s,
    findCandidates: async () => (opts.listable === false ? undefined : [...cloud.machines]),
    idOf: (id) => id,
    send,
    takeOver: opts.takeOver === false ? undefined : async (c) => c.id,
  });
}

/** A POST that makes a machine (and loses its answer when `lose`). */
const post = (cloud: Cloud, id: string, lose = false) => async () => {
  cloud.posts++;
  cloud.machines.push({ id, value: id });
  if (lose) throw lost();
  return id;
};

test("no candidate: one POST, the new machine is claimed", async () => {
  const cloud: Cloud = { machines: [], posts: 0 };
  const s = scope();
  await expect(run(cloud, s, post(cloud, "m1"))).resolves.toEqual({ result: "m1", adopted: false });
  expect(cloud.posts).toBe(1);
  expect(s.claimed.has("m1")).toBe(true);
});

test("the machine Diff said is being replaced, and machines the engine named, are never candidates", async () => {
  const cloud: Cloud = { machines: [{ id: "old", value: "old" }, { id: "other", value: "other" }], posts: 0 };
  await expect(run(cloud, scope({ recordedResource: true, replacedId: "old" }, new Set(["other"])), post(cloud, "new"))).resolves.toEqual({ result: "new", adopted: false });
});

test("replaced without Diff (--replace): a single same-identity machine is the one being replaced; a new one is made", async () => {
  const cloud: Cloud = { machines: [{ id: "old", value: "old" }], posts: 0 };
  await expect(run(cloud, scope({ recordedResource: true }), post(cloud, "new"))).resolves.toEqual({ result: "new", adopted: false });
  expect(logged("info", "it is the machine being replaced, so a new one is created")).toBe(true);
  const two: Cloud = { machines: [{ id: "old", value: "old" }, { id: "left", value: "left" }], posts: 0 };
  await expect(run(two, scope({ recordedResource: true }), post(two, "new"))).rejects.toThrow(AmbiguousAdoptionError);
  expect(two.posts).toBe(0);
});

test("a leftover the cloud does not mark unrecorded fails the create closed, naming it, with no POST", async () => {
  const cloud: Cloud = { machines: [{ id: "left", value: "left" }], posts: 0 };
  const err = await run(cloud, scope(), post(cloud, "new")).catch((e) => e);
  expect(err).toBeInstanceOf(AmbiguousAdoptionError);
  expect(err.candidates).toEqual(["left"]);
  expect(err.message).toMatch(/left\. Nothing was created.*adoptId/);
  expect(cloud.posts).toBe(0);
});

test("a single leftover marked unrecorded is taken over; one that cannot be taken fails closed", async () => {
  const cloud: Cloud = { machines: [{ id: "left", value: "left", unrecorded: true }], posts: 0 };
  await expect(run(cloud, scope(), post(cloud, "new"))).resolves.toEqual({ result: "left", adopted: true });
  expect(logged("warn", "adopting left, left unrecorded by an interrupted create")).toBe(true);
  const s = scope();
  const failing = createOnce<string>({
    what: "x",
    cloud: "test",
    scope: s,
    findCandidates: async () => [{ id: "left", value: "left", unrecorded: true }],
    idOf: (id) => id,
    send: post(cloud, "new"),
    takeOver: async () => {
      throw new ValidationError("cannot label", { cloud: "test" });
    },
  });
  await expect(failing).rejects.toThrow(/left.*cannot label|cannot label.*left/);
  expect(cloud.posts).toBe(0);
});

test("a lost answer adopts the one machine that appeared since the POST; several fail closed; none is sent once more", async () => {
  const cloud: Cloud = { machines: [{ id: "before", value: "before" }], posts: 0 };
  await expect(run(cloud, scope({}, new Set(["before"])), post(cloud, "mine", true))).resolves.toEqual({ result: "mine", adopted: true });
  expect(logged("warn", "the create's answer was lost but the machine exists; adopting it (mine)")).toBe(true);

  const crowded: Cloud = { machines: [], posts: 0 };
  const twoAppear = async () => {
    crowded.posts++;
    crowded.machines.push({ id: "mine", value: "mine" }, { id: "theirs", value: "theirs" });
    throw lost();
  };
  const err = await run(crowded, scope(), twoAppear).catch((e) => e);
  expect(err).toBeInstanceOf(AmbiguousAdoptionError);
  expect(err.candidates.sort()).toEqual(["mine", "theirs"]);
  expect(crowded.posts).toBe(1);

  const empty: Cloud = { machines: [], posts: 0 };
  let attempt = 0;
  const notActedOn = async () => {
    empty.posts++;
    if (++attempt === 1) throw lost();
    return "second";
  };
  await expect(run(empty, scope(), notActedOn)).resolves.toEqual({ result: "second", adopted: false });
  expect(logged("info", "the create was not acted on (socket hang up); sending it again")).toBe(true);
  expect(empty.posts).toBe(2);
});

test("a lost answer on a cloud that cannot list fails closed: no second POST", async () => {
  const cloud: Cloud = { machines: [], posts: 0 };
  await expect(run(cloud, scope(), post(cloud, "m", true), { listable: false })).rejects.toThrow(/cannot list machines.*Nothing more was sent/);
  expect(cloud.posts).toBe(1);
});

test("serializedBy runs work of one key one after another, and of other keys side by side", async () => {
  const order: string[] = [];
  const step = (name: string, gate: Promise<void>) => async () => {
    order.push(`${name} start`);
    await gate;
    order.push(`${name} end`);
  };
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const a = serializedBy("k", step("a", gate));
  const b = serializedBy("k", step("b", Promise.resolve()));
  const c = serializedBy("other", step("c", Promise.resolve()));
  await c;
  expect(order).toEqual(["a start", "c start", "c end"]);
  open();
  await Promise.all([a, b]);
  expect(order).toEqual(["a start", "c start", "c end", "a end", "b start", "b end"]);
});

test("the ledger: Check with old inputs marks a recorded resource, Diff's replace names the old id, other calls claim ids", () => {
  const news = { name: "a", gpuCount: 2, __provider: "shim" };
  expect(adoptionLedger.scopeFor("t:Vm", "e", news)).toMatchObject({ recordedResource: false, replacedId: undefined });
  adoptionLedger.noteChecked("t:Vm", "e", {}, news);
  expect(adoptionLedger.scopeFor("t:Vm", "e", news).recordedResource).toBe(false);
  adoptionLedger.noteChecked("t:Vm", "e", { name: "a", gpuCount: 1 }, news);
  expect(adoptionLedger.scopeFor("t:Vm", "e", { ...news, __provider: "another shim text" }).recordedResource).toBe(true);
  adoptionLedger.noteReplacing("t:Vm", "e", news, "old-1");
  const s = adoptionLedger.scopeFor("t:Vm", "e", news);
  expect(s.replacedId).toBe("old-1");
  expect(s.isClaimed("old-1")).toBe(true);
  adoptionLedger.noteRecorded("t:Vm", "e", "read-1");
  expect(s.isClaimed("read-1")).toBe(true);
  expect(adoptionLedger.scopeFor("t:Vm", "other-endpoint", news).isClaimed("read-1")).toBe(false);
});
