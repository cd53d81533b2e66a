/// <reference types="jest" />
// Compiled with the package (tests/harness is in tsconfig.json) but called only inside jest test files.
import { setLogSink, type LogLevel } from "../../provider/core/progressLog";

/**
 * For a test file that calls provider code in its own process, where no engine receives the
 * progress and warnings: they are collected here (for the tests to assert on) instead of going to
 * `pulumi.log`, which outside a Pulumi program prints to the console in the middle of jest's report.
 */
export function captureProgressLogs(): Array<{ level: LogLevel; message: string }> {
  const logs: Array<{ level: LogLevel; message: string }> = [];
  beforeAll(() => setLogSink((level, message) => void logs.push({ level, message })));
  afterAll(() => setLogSink(undefined));
  return logs;
}
