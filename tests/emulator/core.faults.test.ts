import { FaultStore, FaultValidationError, type CoreFaultKnobs, type CountedKnob } from "../../emulator/core/faults";

interface TestKnobs extends CoreFaultKnobs {
  breakThing: CountedKnob & { reason: string };
}

const newStore = () => new FaultStore<TestKnobs>({ breakThing: (k) => (typeof k.reason === "string" ? [] : ["reason must be a string"]) });

describe("FaultStore", () => {
  it("fires a knob `count` times, then disarms it", () => {
    const store = newStore();
    store.set("rateLimitBurst", { count: 2, retryAfterSec: 3 });
    const target = { method: "GET", path: "/v1/x" };
    expect(store.take("rateLimitBurst", target)).toMatchObject({ count: 2, retryAfterSec: 3 });
    expect(store.get("rateLimitBurst")?.count).toBe(1);
    expect(store.take("rateLimitBurst", target)).toBeDefined();
    expect(store.take("rateLimitBurst", target)).toBeUndefined();
    expect(store.fired()).toEqual({ rateLimitBurst: 2 });
  });

  it("only fires for requests matching its method and path prefix", () => {
    const store = newStore();
    store.set("connectionResetBurst", { count: 1, method: "post", pathPrefix: "/v1/resource/gpu" });
    expect(store.take("connectionResetBurst", { method: "GET", path: "/v1/resource/gpu" })).toBeUndefined();
    expect(store.take("connectionResetBurst", { method: "POST", path: "/v1/auth/check" })).toBeUndefined();
    expect(store.take("connectionResetBurst", { method: "POST", path: "/v1/resource/gpu/" })).toBeDefined();
  });

  it("`skip` lets that many matching requests through first, so a test can hit the k-th create", () => {
    const store = newStore();
    store.set("connectionResetBurst", { count: 1, skip: 2, method: "POST" });
    const create = { method: "POST", path: "/vms" };
    expect(store.take("connectionResetBurst", { method: "GET", path: "/vms" })).toBeUndefined(); // not a match: not counted
    expect(store.get("connectionResetBurst")?.skip).toBe(2);
    expect(store.take("connectionResetBurst", create)).toBeUndefined();
    expect(store.take("connectionResetBurst", create)).toBeUndefined();
    expect(store.take("connectionResetBurst", create)).toBeDefined(); // the third
    expect(store.take("connectionResetBurst", create)).toBeUndefined();
    expect(store.fired()).toEqual({ connectionResetBurst: 1 });
    expect(() => store.set("connectionResetBurst", { count: 1, skip: -1 })).toThrow(/skip must be an integer/);
  });

  it("lets the caller add a condition", () => {
    const store = newStore();
    store.set("breakThing", { count: 1, reason: "x" });
    expect(store.take("breakThing", undefined, (k) => k.reason === "y")).toBeUndefined();
    expect(store.take("breakThing", undefined, (k) => k.reason === "x")).toBeDefined();
  });

  it("validates core and cloud knobs", () => {
    const store = newStore();
    expect(() => store.set("serverErrorBurst", { count: 1, status: 418 as 500 })).toThrow(FaultValidationError);
    expect(() => store.set("breakThing", { count: 1 } as TestKnobs["breakThing"])).toThrow(/reason must be a string/);
    expect(() => store.set("rateLimitBurst", { count: -1, retryAfterSec: 1 })).toThrow(/count/);
  });

  it("applies admin patches all-or-nothing, with null and clear", () => {
    const store = newStore();
    store.applyPatch({ breakThing: { count: 2, reason: "r" }, serverErrorBurst: { count: 1, status: 502, html: true } });
    expect(Object.keys(store.snapshot()).sort()).toEqual(["breakThing", "serverErrorBurst"]);
    expect(() => store.applyPatch({ rateLimitBurst: { count: 1, retryAfterSec: 1 }, nope: { count: 1 } })).toThrow(/unknown knob "nope"/);
    expect(store.get("rateLimitBurst")).toBeUndefined(); // nothing applied
    store.applyPatch({ breakThing: null });
    expect(Object.keys(store.snapshot())).toEqual(["serverErrorBurst"]);
    store.applyPatch({ clear: true, rateLimitBurst: { count: 1, retryAfterSec: 0 } });
    expect(Object.keys(store.snapshot())).toEqual(["rateLimitBurst"]);
    store.clear();
    expect(store.snapshot()).toEqual({});
  });
});
