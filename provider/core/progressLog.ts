// Progress and warnings reach the user through the engine (`pulumi.log`), or a sink in tests.
import { guardOutputPipes, outputPipesClosed } from "./outputPipes";

export type LogLevel = "info" | "warn";
export type LogSink = (level: LogLevel, message: string) => void;

let sink: LogSink | undefined;

export function setLogSink(next: LogSink | undefined): void {
  sink = next;
}

export function logProgress(level: LogLevel, message: string): void {
  if (sink) return sink(level, message);
  // In the dynamic-provider host pulumi.log writes to stdout: once the engine reading it is gone,
  // nothing is written any more (outputPipes.ts).
  guardOutputPipes();
  if (outputPipesClosed()) return;
  try {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    void (level === "warn" ? pulumi.log.warn(message) : pulumi.log.info(message)).catch(() => undefined);
  } catch {
    // Logging must never fail a deployment.
  }
}

/**
 * The waiter's `onProgress` for a resource: `gpcn:GpuVm "trainer": provisioning 40%, about 1m48s
 * left (1m12s elapsed)` — stage and percent as the cloud says, time left when it gives an estimate.
 */
export function waitProgress(type: string, name: string, doing?: string) {
  return (obs: { label: string; etaAt?: number }, elapsedMs: number): void => {
    const { formatDuration } = require("./clock") as typeof import("./clock");
    const left = obs.etaAt ? `, about ${formatDuration(obs.etaAt - Date.now())} left` : "";
    logProgress("info", `${type} "${name}": ${doing ? `${doing}, ` : ""}${obs.label}${left} (${formatDuration(elapsedMs)} elapsed)`);
  };
}
