import { startGpcnStack, type GpcnStack } from "./gpcnStack";

// When `pulumi` alone is SIGKILLed, the engine starts plugins in process groups of their own, so
// Pulumi's dynamic-provider host lives on and goes on with a create (tests/e2e/typescript.crash).
// Its output pipes then have no reader. The host prints pulumi.log messages (our progress lines)
// on stdout; a write to a pipe without a reader fails with EPIPE, asynchronously, so Node raises
// it as an uncaught exception, which the host's handler prints with console.error: on a dead
// stderr that fails the same way, an endless loop that keeps every error (seen: ~7-15 MB/s of RSS
// growth in an orphaned host). Here only stdout is closed, so an uncaught EPIPE would show on stderr.

let stack: GpcnStack;
beforeAll(async () => {
  // 180 emulated seconds per create in 3 real ones: several progress lines while it waits.
  stack = await startGpcnStack({ emulator: { timeScale: 60 } });
});
afterAll(() => stack.close());

test("with the engine's end of stdout gone, a create still completes and its progress lines raise no uncaught EPIPE", async () => {
  const { host } = stack;
  const key = await host.create(stack.urnOf("key"), (await host.check(stack.urnOf("key"), {}, stack.byName("key").inputs)).inputs);
  const checked = await host.check(stack.urnOf("vm"), {}, { ...stack.byName("vm").inputs, sshKeyId: key.id });
  expect(checked.failures).toEqual([]);

  host.closeStdout();
  const vm = await host.create(stack.urnOf("vm"), checked.inputs);
  expect(vm.properties.status).toBe("Running");
  // One more round trip: anything the failed writes raised has been handled by the time it answers.
  await host.read(vm.id, stack.urnOf("vm"), vm.properties);
  expect(host.stderr.filter((line) => /EPIPE|uncaught/i.test(line))).toEqual([]);
}, 60_000);
