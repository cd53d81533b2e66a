import { GpuCloudError, ServerError } from "../../provider/core/errors";
import { PartialCreateError } from "../../provider/core/partialCreate";
import { redact, redactError } from "../../provider/core/redaction";

const KEY = "nova_sk_4f9a2c7e1b";

describe("redact", () => {
  test("replaces every occurrence of every secret", () => {
    expect(redact(`a ${KEY} b ${KEY} c other-secret`, [KEY, "other-secret"])).toBe("a [redacted] b [redacted] c [redacted]");
  });

  test("ignores undefined, empty and very short secrets (they would mangle ordinary text)", () => {
    expect(redact("abc GET /v1", [undefined, "", "abc", "v1"])).toBe("abc GET /v1");
    expect(redact("abcd", ["abcd"])).toBe("[redacted]");
  });

  test("treats secrets literally, not as patterns", () => {
    expect(redact("key=a.b*c+ and axbbc", ["a.b*c+"])).toBe("key=[redacted] and axbbc");
  });
});

describe("redactError", () => {
  test("rewrites message and stack in place, keeps class and fields, drops cause", () => {
    const cause = new Error(`socket with header ${KEY}`);
    const err = new ServerError(`boom ${KEY}`, { cloud: "nova", status: 500, code: "X" });
    (err as any).cause = cause;
    // V8 formats a stack lazily from the current message: read it first, as a logger would have.
    expect(err.stack).toContain(KEY);
    const out = redactError(err, [KEY]);
    expect(out).toBe(err);
    expect(out).toBeInstanceOf(ServerError);
    expect(out).toBeInstanceOf(GpuCloudError);
    expect(out.status).toBe(500);
    expect(out.code).toBe("X");
    expect(out.message).toBe("boom [redacted]");
    expect(out.stack).not.toContain(KEY);
    expect(out.stack).toContain("[redacted]");
    expect("cause" in out).toBe(false);
  });

  test("a native cause (Error options) is dropped too", () => {
    const err = new Error("outer", { cause: new Error(KEY) });
    redactError(err, [KEY]);
    expect((err as any).cause).toBeUndefined();
  });

  test("redacts the reasons of a partial create", () => {
    const err = new PartialCreateError(`create of vm-1 failed (${KEY})`, "vm-1", { name: "a" }, [`poll failed: ${KEY}`, "timed out"]);
    redactError(err, [KEY]);
    expect(err.message).toBe("create of vm-1 failed ([redacted])");
    expect(err.reasons).toEqual(["poll failed: [redacted]", "timed out"]);
    expect(err.id).toBe("vm-1");
  });

  test("an error whose message is getter-only (DOMException AbortError) is returned, not turned into a TypeError", () => {
    const ac = new AbortController();
    ac.abort();
    const reason = ac.signal.reason;
    expect(() => redactError(reason, [KEY])).not.toThrow();
    expect(redactError(reason, [KEY])).toBe(reason);
    expect(reason.name).toBe("AbortError");
  });

  test("a getter-only message that does contain the secret is still redacted", () => {
    class Frozen extends Error {
      override get message(): string {
        return `frozen ${KEY}`;
      }
    }
    const err = new Frozen();
    redactError(err, [KEY]);
    expect(err.message).toBe("frozen [redacted]");
    expect(String(err.stack)).not.toContain(KEY);
  });

  test("non-objects pass through", () => {
    expect(redactError(undefined, [KEY])).toBeUndefined();
    expect(redactError("text", [KEY])).toBe("text");
  });
});
