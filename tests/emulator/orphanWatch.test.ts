import { startedByNpm, stopWhenOrphaned } from "../../emulator/orphanWatch";

// npx → sh → emulator: when npm is killed the shell goes and the emulator is re-parented; it must stop.

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test("stops once, when the parent process changes", () => {
  let parent = 4242;
  const stop = jest.fn();
  stopWhenOrphaned(stop, 500, () => parent);
  jest.advanceTimersByTime(2000);
  expect(stop).not.toHaveBeenCalled();
  parent = 1; // re-parented to init
  jest.advanceTimersByTime(500);
  expect(stop).toHaveBeenCalledTimes(1);
  expect(stop).toHaveBeenCalledWith("its parent process exited");
  jest.advanceTimersByTime(5000);
  expect(stop).toHaveBeenCalledTimes(1);
});

test("the returned function ends the watch", () => {
  let parent = 7;
  const stop = jest.fn();
  const end = stopWhenOrphaned(stop, 500, () => parent);
  end();
  parent = 1;
  jest.advanceTimersByTime(5000);
  expect(stop).not.toHaveBeenCalled();
});

test("only processes npm started are watched (npm sets npm_command)", () => {
  expect(startedByNpm({ npm_command: "exec" })).toBe(true);
  expect(startedByNpm({})).toBe(false);
});
