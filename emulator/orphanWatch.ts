/**
 * Under `npx pulumi-gpucloud-emulator` (or `npm run emulator`) the emulator runs as npm → sh →
 * node. A SIGTERM to npm ends the shell but not this process, which the system then re-parents,
 * and it kept serving with nobody left to stop it. When the parent changes, stop too.
 */
export function stopWhenOrphaned(stop: (reason: string) => void, intervalMs = 500, parentPid: () => number = () => process.ppid): () => void {
  const parent = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === parent) return;
    clearInterval(timer);
    stop("its parent process exited");
  }, intervalMs);
  timer.unref(); // the servers keep the process alive, not this check
  return () => clearInterval(timer);
}

/** npm sets npm_command for the processes it starts (exec, run-script, …). */
export const startedByNpm = (env: NodeJS.ProcessEnv = process.env): boolean => env.npm_command !== undefined;
