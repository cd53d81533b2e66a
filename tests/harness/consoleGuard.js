// `npm test` prints jest's report and nothing else. A test (or provider code it runs in its own
// process, e.g. progress through pulumi.log with no engine to receive it) that writes to the
// console fails, with what it wrote: capture it (tests/harness/progressLogs.ts) and assert on it
// instead. Output of child processes goes to their own pipes and is not concerned.
const written = [];
for (const method of ["log", "info", "warn", "error", "debug"]) {
  console[method] = (...args) => void written.push(`console.${method}: ${args.map(String).join(" ")}`);
}
afterEach(() => {
  if (written.length === 0) return;
  const lines = written.splice(0);
  throw new Error(`the test wrote to the console (capture it and assert on it instead):\n${lines.join("\n")}`);
});
