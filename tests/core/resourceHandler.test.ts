import { z } from "zod";
import { AuthError } from "../../provider/core/errors";
import { PartialCreateError } from "../../provider/core/partialCreate";
import { LogLevel, setLogSink } from "../../provider/core/progressLog";
import { CallContext, declaredInputs, defineResource, ResourceDefinition } from "../../provider/core/resourceHandler";
import { CloudSpec, ConfigSource } from "../../provider/core/settings";
import { UNKNOWN } from "../../provider/core/unknown";
import { visibleText } from "./helpers";

const KEY = "tc_live_Zx81mKq0pL";
const cloud: CloudSpec = { name: "testcloud", label: "TestCloud", envPrefix: "TESTCLOUD", defaultEndpoint: "https://tc.test", defaultRateBudget: null };
const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const withKey = config({ "testcloud:apiKey": KEY, "testcloud:endpoint": "http://127.0.0.1:9/v1" });

const schema = z.object({
  name: z.string().min(1),
  size: z.number().int().min(1),
  zone: z.string(),
  deadlineSeconds: z.number().default(600),
});

function resource(over: Partial<ResourceDefinition<typeof schema>> = {}) {
  const calls: Array<{ op: string; ctx: CallContext; args: unknown[] }> = [];
  const def: ResourceDefinition<typeof schema> = {
    type: "testcloud:Thing",
    cloud,
    inputSchema: schema,
    rules: {
      type: "testcloud:Thing",
      fields: {
        name: { change: "inPlace", via: "PUT /things/{id}" },
        size: { change: "inPlace", via: "POST /things/{id}/resize", resets: true },
        zone: { change: "replace", why: "things cannot move" },
        deadlineSeconds: { change: "stateOnly" },
      },
    },
    crossCheck: (i) => (i.name === "forbidden" ? [{ property: "name", reason: "is reserved" }] : []),
    create: async (ctx, inputs) => (calls.push({ op: "create", ctx, args: [inputs] }), { id: "t-1", outs: { ...inputs, id: "t-1" } }),
    read: async (ctx, id, props) => (calls.push({ op: "read", ctx, args: [id, props] }), { id, props }),
    update: async (ctx, id, olds, news, plan) => (calls.push({ op: "update", ctx, args: [id, olds, news, plan] }), { ...news }),
    delete: async (ctx, id, props) => void calls.push({ op: "delete", ctx, args: [id, props] }),
    ...over,
  };
  return { handler: defineResource(def), calls };
}

const inputs = { name: "a", size: 1, zone: "z1" };
const saved = { key: process.env.TESTCLOUD_API_KEY };
let logs: Array<[LogLevel, string]>;

beforeEach(() => {
  delete process.env.TESTCLOUD_API_KEY;
  logs = [];
  setLogSink((level, message) => logs.push([level, message]));
});
afterEach(() => {
  setLogSink(undefined);
  if (saved.key === undefined) delete process.env.TESTCLOUD_API_KEY;
  else process.env.TESTCLOUD_API_KEY = saved.key;
});

describe("check", () => {
  test("valid inputs come back with defaults", async () => {
    const { handler } = resource();
    expect(await handler.check(undefined, {}, inputs)).toEqual({ inputs: { ...inputs, deadlineSeconds: 600 } });
  });

  test("failures name the property; the inputs come back as given", async () => {
    const { handler } = resource();
    const news = { name: "a", size: 0 };
    const res = await handler.check(undefined, {}, news);
    expect(res.inputs).toBe(news);
    expect(res.failures?.map((f) => f.property).sort()).toEqual(["size", "zone"]);
    expect(res.failures?.find((f) => f.property === "zone")?.reason).toBe("is required");
  });

  test("crossCheck failures are reported", async () => {
    const { handler } = resource();
    expect((await handler.check(undefined, {}, { ...inputs, name: "forbidden" })).failures).toEqual([{ property: "name", reason: "is reserved" }]);
  });

  test("unknowns in preview are no failure", async () => {
    const { handler } = resource();
    const res = await handler.check(undefined, {}, { ...inputs, zone: UNKNOWN });
    expect(res.failures).toBeUndefined();
    expect(res.inputs.zone).toBe(UNKNOWN);
  });
});

describe("diff", () => {
  test("no change: no log, changes false", async () => {
    const { handler } = resource();
    expect(await handler.diff(undefined, "t-1", { ...inputs, deadlineSeconds: 600 }, { ...inputs, deadlineSeconds: 600 })).toMatchObject({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: [],
    });
    expect(logs).toEqual([]);
  });

  test("logs one line per change, naming the resource, warns about resets, and returns the replaces", async () => {
    const { handler } = resource();
    const diff = await handler.diff(undefined, "t-1", { ...inputs }, { ...inputs, zone: "z2", size: 2 });
    expect(diff).toMatchObject({ changes: true, replaces: ["zone"], deleteBeforeReplace: false, diffs: ["size", "zone"] });
    expect(logs).toEqual([
      ["info", 'testcloud:Thing "a": size 1 → 2 updates in place via POST /things/{id}/resize (the machine is reset)'],
      ["info", 'testcloud:Thing "a": zone "z1" → "z2" forces replacement (things cannot move)'],
      ["warn", 'testcloud:Thing "a": changing size resets the machine; running processes stop'],
    ]);
  });
});

describe("create / read / update / delete", () => {
  test("create gets parsed inputs and settings resolved from the stack config", async () => {
    const { handler, calls } = resource();
    expect(await handler.create(withKey, inputs)).toEqual({ id: "t-1", outs: { ...inputs, deadlineSeconds: 600, id: "t-1" } });
    expect(calls[0].args[0]).toEqual({ ...inputs, deadlineSeconds: 600 });
    expect(calls[0].ctx.type).toBe("testcloud:Thing");
    expect(calls[0].ctx.settings).toEqual({
      apiKey: KEY,
      endpoint: "http://127.0.0.1:9/v1",
      rateBudget: null,
      endpointOverride: { setting: "testcloud:endpoint", allowInsecure: false, optInKey: "testcloud:allowInsecureEndpoint" },
    });
  });

  test("create with invalid inputs throws before calling the cloud", async () => {
    const { handler, calls } = resource();
    await expect(handler.create(withKey, { name: "a", size: 0, zone: "z" })).rejects.toThrow(/^testcloud:Thing: invalid inputs: size: /);
    expect(calls).toEqual([]);
  });

  test("the environment is read per call", async () => {
    const { handler, calls } = resource();
    await handler.create(undefined, inputs);
    process.env.TESTCLOUD_API_KEY = "env_key_later_1234";
    await handler.create(undefined, inputs);
    expect(calls.map((c) => c.ctx.settings.apiKey)).toEqual([undefined, "env_key_later_1234"]);
  });

  test("update applies in-place changes with the plan, and refuses changes that force replacement", async () => {
    const { handler, calls } = resource();
    const olds = { ...inputs, deadlineSeconds: 600, id: "t-1" };
    expect(await handler.update(withKey, "t-1", olds, { ...inputs, name: "b" })).toEqual({ outs: { ...inputs, name: "b", deadlineSeconds: 600 } });
    const plan = calls[0].args[3] as { inPlace: Array<{ field: string }> };
    expect(plan.inPlace.map((c) => c.field)).toEqual(["name"]);

    await expect(handler.update(withKey, "t-1", olds, { ...inputs, zone: "z9" })).rejects.toThrow(
      "testcloud:Thing: update cannot change zone; these force replacement",
    );
    expect(calls).toHaveLength(1);
  });

  test("read and delete receive the id and props ({} when absent)", async () => {
    const { handler, calls } = resource();
    expect(await handler.read(withKey, "t-1", undefined)).toEqual({ id: "t-1", props: {} });
    await handler.delete(withKey, "t-1", { a: 1 });
    expect(calls.map((c) => [c.op, ...c.args])).toEqual([
      ["read", "t-1", {}],
      ["delete", "t-1", { a: 1 }],
    ]);
  });
});

describe("every error leaving a resource is scrubbed of the API key", () => {
  const leak = (where: string) => {
    const err = new Error(`${where} failed with x-api-key: ${KEY}`);
    void err.stack; // formatted now, as a logger would have; V8 would otherwise format it after redaction
    return err;
  };

  test.each(["create", "read", "update", "delete"] as const)("%s", async (op) => {
    const fail = async () => {
      throw leak(op);
    };
    const { handler } = resource({ [op]: fail });
    const run = {
      create: () => handler.create(withKey, inputs),
      read: () => handler.read(withKey, "t-1", {}),
      update: () => handler.update(withKey, "t-1", { ...inputs }, { ...inputs, name: "b" }),
      delete: () => handler.delete(withKey, "t-1", {}),
    }[op];
    const err = await run().catch((e) => e);
    expect(err.message).toBe(`${op} failed with x-api-key: [redacted]`);
    expect(visibleText(err)).not.toContain(KEY);
  });

  test("a key from the environment is scrubbed too, and the error keeps its class and fields", async () => {
    process.env.TESTCLOUD_API_KEY = "env_key_secret_5678";
    const partial = new PartialCreateError("VM t-1 not ready", "t-1", { name: "a" }, ["poll: env_key_secret_5678 rejected"]);
    const { handler } = resource({
      create: async () => {
        throw partial;
      },
    });
    const err = await handler.create(undefined, inputs).catch((e) => e);
    expect(err).toBe(partial);
    expect(err).toBeInstanceOf(PartialCreateError);
    expect(err.id).toBe("t-1");
    expect(err.reasons).toEqual(["poll: [redacted] rejected"]);
  });

  test("typed errors keep their kind", async () => {
    const { handler } = resource({
      read: async () => {
        throw new AuthError(`key ${KEY} revoked`, { cloud: "testcloud", status: 401 });
      },
    });
    const err = await handler.read(withKey, "t-1", {}).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.status).toBe(401);
    expect(err.message).toBe("key [redacted] revoked");
  });
});

test("declaredInputs keeps the schema's keys that have values", () => {
  expect(declaredInputs(schema, { name: "a", size: 2, zone: undefined, id: "t-1", __provider: "x" })).toEqual({ name: "a", size: 2 });
});
