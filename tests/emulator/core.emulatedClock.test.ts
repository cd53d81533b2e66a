import { EmulatedClock } from "../../emulator/core/emulatedClock";

describe("EmulatedClock", () => {
  let wall = 1_000_000;
  const now = () => wall;

  beforeEach(() => {
    wall = 1_000_000;
  });

  it("runs emulated time timeScale times faster than the wall clock", () => {
    const clock = new EmulatedClock({ timeScale: 180, now });
    const start = clock.emulatedNow();
    wall += 1000;
    expect(clock.emulatedNow() - start).toBe(180_000);
    expect(clock.wallNow()).toBe(1_001_000);
  });

  it("maps emulated instants back to wall time, also across scale changes", () => {
    const clock = new EmulatedClock({ timeScale: 10, now });
    const start = clock.emulatedNow();
    const target = start + 100_000; // 100 emulated seconds
    expect(clock.realMsUntil(target)).toBe(10_000);
    wall += 5_000; // 50 emulated s done
    clock.setTimeScale(50);
    expect(clock.emulatedNow()).toBe(start + 50_000); // no jump on change
    expect(clock.realMsUntil(target)).toBe(1_000); // remaining 50 s at x50
    expect(clock.wallAt(start + 20_000)).toBe(1_002_000); // a past instant, old segment
    wall += 2_000;
    expect(clock.realMsUntil(target)).toBe(0);
    expect(clock.wallAt(target)).toBe(1_006_000);
  });

  it("rejects a non-positive scale", () => {
    expect(() => new EmulatedClock({ timeScale: 0 })).toThrow(RangeError);
    expect(() => new EmulatedClock().setTimeScale(-1)).toThrow(RangeError);
    expect(() => new EmulatedClock().setTimeScale(Number.NaN)).toThrow(RangeError);
  });
});
