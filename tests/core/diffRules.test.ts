import {
  callOf,
  describePlan,
  diffFromPlan,
  normalizers,
  planChanges,
  ResourceRules,
  rulesMarkdown,
  stableJson,
} from "../../provider/core/diffRules";
import { UNKNOWN } from "../../provider/core/unknown";

const UNKNOWN_LITERAL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const rules: ResourceRules = {
  type: "gpcn:GpuVm",
  fields: {
    name: { change: "inPlace", via: "PUT /resource/gpu/{id}" },
    sshKeyId: { change: "inPlace", via: "PUT /resource/gpu/{id}", resets: true },
    datacenterId: { change: "replace", why: "a VM cannot move between data centers", normalize: normalizers.lowerCase },
    gpuCount: { change: "replace", why: "no resize API", normalize: normalizers.number },
    skuCode: { change: "replace", why: "no resize API", cloudDefault: true, doc: "cheapest when omitted" },
    deadlineSeconds: { change: "stateOnly" },
    tags: { change: "inPlace", via: "PUT /resource/gpu/{id}" },
  },
};

const olds = {
  name: "trainer",
  sshKeyId: "k1",
  datacenterId: "DC-1",
  gpuCount: 1,
  skuCode: "h100-sxm-80gb-1x",
  deadlineSeconds: 600,
  tags: { b: 2, a: 1 },
  status: "Running", // not an input: no rule, never a change
};

test("the engine's unknown placeholder is the documented constant", () => {
  expect(UNKNOWN).toBe(UNKNOWN_LITERAL);
});

describe("planChanges", () => {
  test("identical inputs plan nothing", () => {
    const plan = planChanges(rules, olds, { ...olds });
    expect(plan.changes).toEqual([]);
    expect(diffFromPlan(plan, rules)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: [],
      detailedDiff: {},
      stables: Object.keys(rules.fields),
    });
  });

  test("fields without a rule are ignored", () => {
    expect(planChanges(rules, olds, { ...olds, status: "Stopped", extra: 1 }).changes).toEqual([]);
  });

  test("changes are sorted into replace, in place and state only", () => {
    const news = { ...olds, name: "trainer-2", gpuCount: 2, deadlineSeconds: 900 };
    const plan = planChanges(rules, olds, news);
    expect(plan.changes.map((c) => c.field)).toEqual(["name", "gpuCount", "deadlineSeconds"]);
    expect(plan.replaces.map((c) => c.field)).toEqual(["gpuCount"]);
    expect(plan.inPlace.map((c) => c.field)).toEqual(["name"]);
    expect(plan.stateOnly.map((c) => c.field)).toEqual(["deadlineSeconds"]);
    expect(plan.replaces[0]).toEqual({ field: "gpuCount", rule: rules.fields.gpuCount, from: 1, to: 2 });
    const diff = diffFromPlan(plan, rules);
    expect(diff).toMatchObject({ changes: true, replaces: ["gpuCount"], deleteBeforeReplace: false, diffs: ["name", "gpuCount", "deadlineSeconds"] });
    // The kinds let the engine show "replace" against the field and apply replaceOnChanges.
    expect(diff.detailedDiff).toEqual({
      name: { kind: "update", inputDiff: true },
      gpuCount: { kind: "updateReplace", inputDiff: true },
      deadlineSeconds: { kind: "update", inputDiff: true },
    });
    expect(diff.stables).not.toContain("gpuCount");
  });

  test("a field set or removed is an add or a delete in the detailed diff", () => {
    const { datacenterId: _dropped, ...withoutDc } = olds as Record<string, unknown>;
    const added = diffFromPlan(planChanges(rules, withoutDc, olds));
    expect(added.detailedDiff.datacenterId).toEqual({ kind: "addReplace", inputDiff: true });
    const removed = diffFromPlan(planChanges(rules, olds, withoutDc));
    expect(removed.detailedDiff.datacenterId).toEqual({ kind: "deleteReplace", inputDiff: true });
  });

  test("an unknown value counts as a change, even when the field's rule is replace", () => {
    const plan = planChanges(rules, olds, { ...olds, datacenterId: UNKNOWN_LITERAL, name: UNKNOWN_LITERAL });
    expect(plan.changes.map((c) => c.field)).toEqual(["name", "datacenterId"]);
    expect(diffFromPlan(plan).replaces).toEqual(["datacenterId"]);
  });

  test("an unknown nested in an object or array is a change", () => {
    expect(planChanges(rules, olds, { ...olds, tags: { a: 1, b: UNKNOWN_LITERAL } }).changes.map((c) => c.field)).toEqual(["tags"]);
    expect(planChanges(rules, { tags: [1] }, { tags: [UNKNOWN_LITERAL] }).changes.map((c) => c.field)).toEqual(["tags"]);
  });

  test("an unknown is a change whatever the normalizer would say", () => {
    const coarse: ResourceRules = { type: "t", fields: { region: { change: "replace", why: "fixed", normalize: (v) => (typeof v === "string" ? v.length > 0 : v) } } };
    expect(planChanges(coarse, { region: "eu" }, { region: "us" }).changes).toEqual([]);
    expect(planChanges(coarse, { region: "eu" }, { region: UNKNOWN_LITERAL }).replaces.map((c) => c.field)).toEqual(["region"]);
  });

  test("an unknown for a cloudDefault field is still a change (the value may differ)", () => {
    expect(planChanges(rules, olds, { ...olds, skuCode: UNKNOWN_LITERAL }).replaces.map((c) => c.field)).toEqual(["skuCode"]);
  });

  test("removing a cloudDefault input keeps the cloud's value; removing another input is a change", () => {
    const { skuCode: _sku, ...withoutSku } = olds;
    expect(planChanges(rules, olds, withoutSku).changes).toEqual([]);
    expect(planChanges(rules, olds, { ...olds, skuCode: null }).changes).toEqual([]);
    const { name: _name, ...withoutName } = olds;
    const plan = planChanges(rules, olds, withoutName);
    expect(plan.changes).toEqual([{ field: "name", rule: rules.fields.name, from: "trainer", to: undefined }]);
  });

  test("setting a cloudDefault input to a different value is a change; to the same value is not", () => {
    expect(planChanges(rules, olds, { ...olds, skuCode: "h100-sxm-80gb-2x" }).replaces.map((c) => c.field)).toEqual(["skuCode"]);
    expect(planChanges(rules, olds, { ...olds, skuCode: "h100-sxm-80gb-1x" }).changes).toEqual([]);
    expect(planChanges(rules, { ...olds, skuCode: undefined }, { ...olds, skuCode: "x" }).replaces.map((c) => c.field)).toEqual(["skuCode"]);
  });

  test("normalizers make equivalent spellings equal", () => {
    expect(planChanges(rules, olds, { ...olds, datacenterId: "  dc-1 ", gpuCount: "1" }).changes).toEqual([]);
    expect(planChanges(rules, olds, { ...olds, datacenterId: "dc-2" }).replaces.map((c) => c.field)).toEqual(["datacenterId"]);
  });

  test("undefined and null are the same absence; absent vs present is a change", () => {
    expect(planChanges(rules, { name: null }, { name: undefined }).changes).toEqual([]);
    expect(planChanges(rules, {}, { name: "a" }).changes.map((c) => c.field)).toEqual(["name"]);
    expect(planChanges(rules, { gpuCount: 0 }, {}).changes.map((c) => c.field)).toEqual(["gpuCount"]);
  });

  test("objects compare by content whatever the key order; arrays by order", () => {
    expect(planChanges(rules, olds, { ...olds, tags: { a: 1, b: 2 } }).changes).toEqual([]);
    expect(planChanges(rules, { tags: { x: { b: 1, a: 2 } } }, { tags: { x: { a: 2, b: 1 } } }).changes).toEqual([]);
    expect(planChanges(rules, { tags: [1, 2] }, { tags: [2, 1] }).changes.map((c) => c.field)).toEqual(["tags"]);
  });
});

describe("describePlan", () => {
  test("one sentence per change, saying what happens", () => {
    const plan = planChanges(rules, olds, {
      ...olds,
      name: "trainer-2",
      sshKeyId: "k2",
      gpuCount: 2,
      deadlineSeconds: 900,
      datacenterId: UNKNOWN_LITERAL,
    });
    expect(describePlan(plan)).toEqual([
      'name "trainer" → "trainer-2" updates in place via PUT /resource/gpu/{id}',
      'sshKeyId "k1" → "k2" updates in place via PUT /resource/gpu/{id} (the machine is reset)',
      'datacenterId "DC-1" → (known after apply) forces replacement (a VM cannot move between data centers)',
      "gpuCount 1 → 2 forces replacement (no resize API)",
      "deadlineSeconds 600 → 900 is stored in state only",
    ]);
  });

  test("absent values read (unset) and long values are cut", () => {
    const plan = planChanges(rules, {}, { name: "n".repeat(100) });
    const [line] = describePlan(plan);
    expect(line.startsWith("name (unset) → ")).toBe(true);
    expect(line).toContain("…");
    expect(line).not.toContain("n".repeat(60));
  });
});

describe("rulesMarkdown", () => {
  test("one row per field with what happens and the notes", () => {
    expect(rulesMarkdown(rules).split("\n")).toEqual([
      "| input | on change | how / notes |",
      "|---|---|---|",
      "| `name` | in place | `PUT /resource/gpu/{id}` |",
      "| `sshKeyId` | in place, resets the machine | `PUT /resource/gpu/{id}` |",
      "| `datacenterId` | replace | a VM cannot move between data centers |",
      "| `gpuCount` | replace | no resize API |",
      "| `skuCode` | replace | no resize API; omitted = keep the cloud's value; cheapest when omitted |",
      "| `deadlineSeconds` | no cloud call | stored in state |",
      "| `tags` | in place | `PUT /resource/gpu/{id}` |",
    ]);
  });
});

describe("normalizers and stableJson", () => {
  test("lowerCase, trimmed, number", () => {
    expect(normalizers.lowerCase("  H100_Series ")).toBe("h100_series");
    expect(normalizers.lowerCase(5)).toBe(5);
    expect(normalizers.trimmed("  a b ")).toBe("a b");
    expect(normalizers.number("8")).toBe(8);
    expect(normalizers.number(" 2.5 ")).toBe(2.5);
    expect(normalizers.number("")).toBe("");
    expect(normalizers.number("eight")).toBe("eight");
    expect(normalizers.number(4)).toBe(4);
  });

  test("sshPublicKey drops the comment and extra whitespace", () => {
    expect(normalizers.sshPublicKey("ssh-ed25519   AAAAC3Nza me@laptop\n")).toBe("ssh-ed25519 AAAAC3Nza");
    expect(normalizers.sshPublicKey("ssh-ed25519 AAAAC3Nza")).toBe("ssh-ed25519 AAAAC3Nza");
    expect(normalizers.sshPublicKey(undefined)).toBeUndefined();
    const keyRules: ResourceRules = { type: "k", fields: { publicKey: { change: "replace", why: "keys are immutable", normalize: normalizers.sshPublicKey } } };
    expect(planChanges(keyRules, { publicKey: "ssh-ed25519 AAAA cloud-rewrote" }, { publicKey: "ssh-ed25519 AAAA me@laptop" }).changes).toEqual([]);
    expect(planChanges(keyRules, { publicKey: "ssh-ed25519 AAAA" }, { publicKey: "ssh-ed25519 BBBB" }).replaces).toHaveLength(1);
  });

  test("stableJson sorts keys at every depth, keeps array order", () => {
    expect(stableJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(stableJson({ a: 1, b: 2 })).toBe(stableJson({ b: 2, a: 1 }));
  });
});

describe("callOf", () => {
  type Call = "rename" | "resize";
  const called: ResourceRules<Call> = {
    type: "test:Thing",
    fields: {
      name: { change: "inPlace", via: "PUT /things/{id} (a route named for people)", call: "rename" },
      size: { change: "inPlace", via: "PUT /things/{id}", call: "resize" },
      label: { change: "inPlace", via: "PUT /things/{id}" },
      zone: { change: "replace", why: "cannot move" },
    },
  };

  test("names the call from the typed field, whatever the via text says", () => {
    expect(callOf(called, "name")).toBe("rename");
    expect(callOf(called, "size")).toBe("resize");
  });

  test("a field without an in-place call is a programming error, not a guess", () => {
    expect(() => callOf(called, "label")).toThrow("test:Thing: label has no in-place call");
    expect(() => callOf(called, "zone")).toThrow("test:Thing: zone has no in-place call");
    expect(() => callOf(called, "missing")).toThrow("test:Thing: missing has no in-place call");
  });
});

