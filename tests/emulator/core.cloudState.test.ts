import { CloudState, type CloudStateConfig } from "../../emulator/core/cloudState";
import { EmulatedClock } from "../../emulator/core/emulatedClock";
import { ipFor } from "../../emulator/core/emulatedIp";
import { countOnlyKnobs, FaultStore, type CoreFaultKnobs, type CountedKnob } from "../../emulator/core/faults";
import { createHexIdGenerator } from "../../emulator/core/idGenerator";

class TestState extends CloudState<CloudStateConfig> {
  reset(): void {
    this.resetIds();
  }
}

describe("ipFor", () => {
  it("hands out .10 to .249 of each RFC 5737 block in turn, then wraps", () => {
    expect(ipFor(1)).toBe("203.0.113.10");
    expect(ipFor(240)).toBe("203.0.113.249");
    expect(ipFor(241)).toBe("198.51.100.10");
    expect(ipFor(481)).toBe("192.0.2.10");
    expect(ipFor(721)).toBe("203.0.113.10");
  });
});

describe("CloudState", () => {
  const clock = new EmulatedClock({ now: () => 0 });

  it("gives the same ids and sequence again after a reset when seeded", () => {
    const state = new TestState({ clock, seed: "s" });
    const first = [state.newId(), state.newId()];
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first[0]).not.toBe(first[1]);
    expect([state.nextSeq(), state.nextSeq()]).toEqual([1, 2]);
    state.reset();
    expect([state.newId(), state.newId()]).toEqual(first);
    expect(state.nextSeq()).toBe(1);
    expect(new TestState({ clock, seed: "s" }).newId()).toBe(first[0]);
    expect(state.clock).toBe(clock);
    expect(state.ipFor(2)).toBe("203.0.113.11");
  });

  it("takes the cloud's id shape: 16 hex characters, reproducible with a seed", () => {
    const state = new TestState({ clock, seed: 7 }, createHexIdGenerator);
    const id = state.newId();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(createHexIdGenerator(7)()).toBe(id);
    state.reset();
    expect(state.newId()).toBe(id);
    const unseeded = createHexIdGenerator();
    expect(unseeded()).not.toBe(unseeded());
  });
});

describe("countOnlyKnobs", () => {
  interface Knobs extends CoreFaultKnobs {
    breakA: CountedKnob;
    breakB: CountedKnob;
  }

  it("registers knobs that accept count, skip and the filter and nothing needs checking beyond them", () => {
    const store = new FaultStore<Knobs>(countOnlyKnobs("breakA", "breakB"));
    expect(store.names()).toEqual(["rateLimitBurst", "serverErrorBurst", "connectionResetBurst", "breakA", "breakB"]);
    store.set("breakB", { count: 1, skip: 1, method: "POST" });
    expect(store.get("breakB")).toEqual({ count: 1, skip: 1, method: "POST" });
    expect(() => store.set("breakA", { count: -1 })).toThrow(/count/);
  });
});
