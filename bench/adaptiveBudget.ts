import type { BenchCloud, BenchEmulator } from "./clouds";
import { FLEET, FLEET_WALL_TARGET_MS, runOurFleet } from "./fleet";
import { formatRoutes } from "./lag";
import type { BenchStack } from "./stack";
import { fmt, type Row } from "./table";

// Issue 18 item 1: "where a cloud publishes no rate limit, don't guess low and wait: start at the
// budget and adapt to the 429s and Retry-After it sends". The fleet rows give every host
// `<cloud>:requestsPerMinute` = 100, a hard budget equal to the emulator's limit. Here the host
// keeps the provider's default (Nova's guessed 60/min, an adaptive starting point:
// provider/core/rateLimiter.ts) and the emulator allows more than the guess: the fleet must not
// wait for a window the cloud does not impose, and must still get no 429.

/** What the emulator allows in this row: more than the 64 creates and 64 label PATCHes with their reads. */
export const ROOMY_LIMIT = { limit: 200, windowMs: 60_000 };

export async function runAdaptiveFleet(cloud: BenchCloud, stack: BenchStack) {
  const roomy: BenchCloud = {
    ...cloud,
    config: (emu) => {
      const c = { ...cloud.config(emu) };
      delete c[`${cloud.name}:requestsPerMinute`];
      return c;
    },
    startEmulator: async (o) => {
      const emu: BenchEmulator = await cloud.startEmulator(o);
      // runOurFleet sets the fleet's 100 / 60 s as the creates go out; this cloud allows more.
      return { ...emu, setRateLimit: (limit) => emu.setRateLimit(limit && ROOMY_LIMIT) };
    },
  };
  return runOurFleet(roomy, stack);
}

export function adaptiveRow(cloud: BenchCloud, guess: string, run: Awaited<ReturnType<typeof runAdaptiveFleet>>): Row {
  const ok = run.created === FLEET && run.failed === 0;
  return {
    cloud: cloud.name,
    metric: `${FLEET}-VM fleet, provider's default budget (${guess}, adaptive) against a cloud allowing ${ROOMY_LIMIT.limit} req / 60 s`,
    ours: `${run.created} / ${run.failed}, ${run.got429} × 429, ${run.requests} requests, ${fmt.ms(run.wallMs)}`,
    baseline: "—",
    ratio: "—",
    target: `${FLEET} / 0, 0 × 429, ≤ ${fmt.ms(FLEET_WALL_TARGET_MS)}`,
    met: ok && run.got429 === 0 && run.wallMs <= FLEET_WALL_TARGET_MS,
    note:
      `${formatRoutes(run.routes)}; a hard budget at the guess would wait for the next minute once the guess was spent` +
      (run.failures ? `; failed: ${run.failures}` : ""),
  };
}

export const ADAPTIVE_ASSUMPTION =
  `Default budget of a cloud that publishes none (Nova): the fleet of ${FLEET} as above, but the host keeps the provider's default request budget (no \`nova:requestsPerMinute\`: 60 per minute guessed, a starting point that doubles while no 429 comes and halves on one, provider/core/rateLimiter.ts) and the emulator allows ${ROOMY_LIMIT.limit} requests / 60 s (with X-RateLimit-* headers); it runs after the fleets, alone.`;
