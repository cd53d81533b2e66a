import { z } from "zod";
import { checkInputs, CrossCheck, inputs } from "../../provider/core/inputValidation";
import { UNKNOWN } from "../../provider/core/unknown";

const schema = z.object({
  name: z.string().min(1).max(64),
  gpuCount: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]),
  sshKeyId: z.string(),
  imageName: z.string().optional(),
  ports: z.array(z.object({ port: z.number().int().min(1).max(65535) })).optional(),
  deadlineSeconds: inputs.deadlineSeconds(600),
});
type In = z.infer<typeof schema>;

const valid = { name: "trainer", gpuCount: 2, sshKeyId: "key-1" };

describe("checkInputs", () => {
  test("valid inputs pass, defaults are filled in, engine keys are kept", () => {
    const { inputs: out, failures } = checkInputs(schema, { ...valid, __provider: "opaque" });
    expect(failures).toEqual([]);
    expect(out).toEqual({ ...valid, deadlineSeconds: 600, __provider: "opaque" });
  });

  test("a missing required property is named and said to be required", () => {
    const { failures, inputs: out } = checkInputs(schema, { gpuCount: 1, sshKeyId: "k" });
    expect(failures).toEqual([{ property: "name", reason: "is required" }]);
    expect(out).toEqual({ gpuCount: 1, sshKeyId: "k" });
  });

  test("a wrong value names the property and gives zod's reason, not 'is required'", () => {
    const { failures } = checkInputs(schema, { ...valid, gpuCount: 3, name: 7 });
    const byProp = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    expect(Object.keys(byProp).sort()).toEqual(["gpuCount", "name"]);
    expect(byProp.name).not.toBe("is required");
    expect(byProp.name).toMatch(/string/i);
    expect(byProp.gpuCount).not.toBe("is required");
  });

  test("a nested failure names the full path", () => {
    const { failures } = checkInputs(schema, { ...valid, ports: [{ port: 22 }, { port: 999_999_999 }] });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("ports.1.port");
    expect(failures[0].reason).toMatch(/65535/);
  });

  test("deadlineSeconds: a positive integer up to 7 days", () => {
    expect(checkInputs(schema, { ...valid, deadlineSeconds: 0 }).failures.map((f) => f.property)).toEqual(["deadlineSeconds"]);
    expect(checkInputs(schema, { ...valid, deadlineSeconds: -30 }).failures.map((f) => f.property)).toEqual(["deadlineSeconds"]);
    expect(checkInputs(schema, { ...valid, deadlineSeconds: 7 * 24 * 3600 + 1 }).failures.map((f) => f.property)).toEqual(["deadlineSeconds"]);
    expect(checkInputs(schema, { ...valid, deadlineSeconds: 60.5 }).failures.map((f) => f.property)).toEqual(["deadlineSeconds"]);
    expect(checkInputs(schema, { ...valid, deadlineSeconds: 1 }).failures).toEqual([]);
    expect(checkInputs(schema, { ...valid, deadlineSeconds: 7 * 24 * 3600 }).failures).toEqual([]);
  });

  test("unknown values are tolerated: a required unknown counts as present and comes back untouched", () => {
    const news = { ...valid, name: UNKNOWN, sshKeyId: UNKNOWN };
    const { inputs: out, failures } = checkInputs(schema, news);
    expect(failures).toEqual([]);
    expect(out.name).toBe(UNKNOWN);
    expect(out.sshKeyId).toBe(UNKNOWN);
    expect(out.deadlineSeconds).toBe(600);
  });

  test("an unknown value for a property with a default stays unknown (the default does not replace it)", () => {
    const { inputs: out, failures } = checkInputs(schema, { ...valid, deadlineSeconds: UNKNOWN });
    expect(failures).toEqual([]);
    expect(out.deadlineSeconds).toBe(UNKNOWN);
  });

  test("a value with an unknown inside is left out of the check and returned as it was", () => {
    const ports = [{ port: UNKNOWN }, { port: 22 }];
    const { inputs: out, failures } = checkInputs(schema, { ...valid, ports });
    expect(failures).toEqual([]);
    expect(out.ports).toBe(ports);
  });

  test("the known properties are still checked while others are unknown", () => {
    const { failures } = checkInputs(schema, { name: UNKNOWN, gpuCount: 5, sshKeyId: "k" });
    expect(failures.map((f) => f.property)).toEqual(["gpuCount"]);
  });

  test("an unknown in a property the schema does not know is harmless", () => {
    const { failures, inputs: out } = checkInputs(schema, { ...valid, somethingElse: UNKNOWN });
    expect(failures).toEqual([]);
    expect(out.somethingElse).toBe(UNKNOWN);
  });

  test("engine bookkeeping keys (__*) are not validated, even by a strict schema", () => {
    const strict = z.strictObject({ name: z.string() });
    expect(checkInputs(strict, { name: "a", __provider: "x" }).failures).toEqual([]);
    expect(checkInputs(strict, { name: "a", extra: "x" }).failures).toHaveLength(1);
  });

  test("several problems with one property are merged into one failure", () => {
    const strictName = z.object({ name: z.string().min(3, "too short").regex(/^[a-z]+$/, "lower-case letters only") });
    expect(checkInputs(strictName, { name: "A" }).failures).toEqual([{ property: "name", reason: "too short; lower-case letters only" }]);
  });

  test("an empty input set reports each required property", () => {
    const { failures } = checkInputs(schema, {});
    expect(failures.map((f) => f.property).sort()).toEqual(["gpuCount", "name", "sshKeyId"]);
    expect(failures.every((f) => f.reason === "is required")).toBe(true);
  });
});

describe("crossCheck", () => {
  const cross: CrossCheck<In> = (i, known) =>
    known("imageName") && i.imageName === "windows" && known("gpuCount") && i.gpuCount === 8
      ? [{ property: "imageName", reason: "windows images support at most 4 GPUs" }]
      : [];

  test("runs after the schema, on the parsed inputs, and names the failing property", () => {
    const spy = jest.fn(cross);
    const { failures } = checkInputs(schema, { ...valid, gpuCount: 8, imageName: "windows" }, spy);
    expect(failures).toEqual([{ property: "imageName", reason: "windows images support at most 4 GPUs" }]);
    expect(spy).toHaveBeenCalledWith(expect.objectContaining({ deadlineSeconds: 600, gpuCount: 8 }), expect.any(Function));
  });

  test("known() is false for unknown properties, so rules about them wait for real values", () => {
    const seen: Record<string, boolean> = {};
    const spy: CrossCheck<In> = (i, known) => {
      seen.imageName = known("imageName");
      seen.gpuCount = known("gpuCount");
      return cross(i, known);
    };
    const { failures } = checkInputs(schema, { ...valid, gpuCount: 8, imageName: UNKNOWN }, spy);
    expect(failures).toEqual([]);
    expect(seen).toEqual({ imageName: false, gpuCount: true });
  });

  test("is not run when the schema already failed", () => {
    const spy = jest.fn(cross);
    const { failures } = checkInputs(schema, { gpuCount: 8, imageName: "windows" }, spy);
    expect(spy).not.toHaveBeenCalled();
    expect(failures.map((f) => f.property).sort()).toEqual(["name", "sshKeyId"]);
  });
});
