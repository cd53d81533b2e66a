import * as path from "path";

// Preloaded into a dynamic-provider host (NODE_OPTIONS=--require, bench/lag.ts) for clouds whose
// provider polls on a fixed backoff because the cloud gives no completion estimate. It divides
// every wait of the provider's clock (provider/core/clock.ts `systemClock.sleep`: waiter delays,
// retry backoffs) by BENCH_TIME_WARP, so the provider's real-seconds schedule runs in the
// emulator's time like the naive baseline's (÷ time scale). Date.now is not changed (each wait
// gets a clock of its own that reads emulated time, below; a wait's deadline therefore comes ×scale
// sooner in real time, as it would for the emulated job): the rate limiter's windows still read the real clock (the rate limiter's waits
// loop until the real time has come, so they are not shortened). The waiter's heartbeat (a
// repeated progress log while it sleeps) is switched off, as its loop sleeps until a real-clock
// instant and would undo the warp; it changes nothing but logging. It acts only in the host's node
// (the launcher's `node -e` also sees NODE_OPTIONS) and says so on stderr, which the benchmark
// checks; a missing module fails the host's start.

const scale = Number(process.env.BENCH_TIME_WARP);
if (scale > 0 && /dynamic-provider/.test(process.argv[1] ?? "")) {
  const core = path.join(process.cwd(), "node_modules", "pulumi-gpucloud", "dist", "provider", "core");
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { systemClock } = require(path.join(core, "clock.js")) as { systemClock: { sleep(ms: number, signal?: AbortSignal): Promise<void> } };
  const waiter = require(path.join(core, "waiter.js")) as { waitUntil(opts: Record<string, unknown>): Promise<unknown> };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sleep = systemClock.sleep;
  systemClock.sleep = (ms, signal) => sleep.call(systemClock, ms / scale, signal);
  const waitUntil = waiter.waitUntil;
  // Each wait also reads its time in emulated time from its start on (real ms × scale), so a
  // schedule from provisioning times (core/provisioningTimes.ts) measures and plans in the job's
  // seconds, like the sleeps. Its own sleeps go ÷ scale once (the original sleep, not the one above).
  const warpedClock = () => {
    const origin = Date.now();
    return {
      now: () => origin + (Date.now() - origin) * scale,
      sleep: (ms: number, signal?: AbortSignal) => sleep.call(systemClock, ms / scale, signal),
    };
  };
  waiter.waitUntil = (opts) => waitUntil({ ...opts, heartbeatMs: undefined, clock: warpedClock() });
  process.stderr.write(`bench-time-warp: provider waits ÷${scale} (${core})\n`);
}
