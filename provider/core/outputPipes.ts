// The process's stdout and stderr once whoever reads them is gone.
//
// Pulumi's dynamic-provider host prints pulumi.log messages (our progress lines) on stdout, a pipe
// the engine reads. When `pulumi` alone is killed, the host lives on (its own process group) and
// goes on with a create, and those pipes have no reader: a write fails with EPIPE asynchronously,
// after console.log has dropped its own error handler, so Node raises it as an uncaught exception.
// The host's handler prints that with console.error to stderr, just as dead, which raises the next
// one: an endless loop that keeps every error (the host remembers them), hundreds of MB a minute.
// A lasting 'error' listener on both streams stops it at the first failed write, and from then on
// progress is no longer written.

let guarded = false;
let closed = false;

/** Installs the listeners once per process; cheap to call before every write. */
export function guardOutputPipes(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    // Whatever failed, there is no one left to tell: the write is dropped, the deployment goes on.
    stream.on("error", () => {
      closed = true;
    });
  }
}

/** Whether a write to stdout or stderr has failed (their reader is gone). */
export function outputPipesClosed(): boolean {
  return closed;
}
