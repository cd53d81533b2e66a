#!/usr/bin/env node
/** `pulumi-gpucloud-emulator`: run local cloud emulators until SIGINT/SIGTERM. */

import { startedByNpm, stopWhenOrphaned } from "./orphanWatch";
import { runCli } from "./runCli";

async function main(): Promise<void> {
  const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
  const { session, exitCode } = await runCli(process.argv.slice(2), io);
  if (!session) {
    process.exitCode = exitCode;
    return;
  }
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    io.out(`${why}, shutting down`);
    session.close().then(
      () => process.exit(0),
      (err: unknown) => {
        io.err(`Shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("Received SIGINT"));
  process.on("SIGTERM", () => stop("Received SIGTERM"));
  if (startedByNpm()) stopWhenOrphaned((reason) => stop(`Stopping: ${reason}`));
}

main().catch((err: unknown) => {
  console.error(`pulumi-gpucloud-emulator failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
