// Progress and warnings reach the user through the engine (`pulumi.log`), or a sink in tests.

export type LogLevel = "info" | "warn";
export type LogSink = (level: LogLevel, message: string) => void;

let sink: LogSink | undefined;

export function setLogSink(next: LogSink | undefined): void {
  sink = next;
}

export function logProgress(level: LogLevel, message: string): void {
  if (sink) return sink(level, message);
  try {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    void (level === "warn" ? pulumi.log.warn(message) : pulumi.log.info(message)).catch(() => undefined);
  } catch {
    // Logging must never fail a deployment.
  }
}
