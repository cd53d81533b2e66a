// The language runtime for one `pulumi` command on a Node.js program, in a process of its own.
//
// The Go module proxy serves neither pulumi-language-nodejs nor pulumi-language-python (see
// scripts/install-pulumi), so the engine cannot start its own Node.js host. Pulumi's Automation API
// has the same need for inline programs and meets it with the LanguageServer that ships in
// @pulumi/pulumi: the program runs in the caller's process and the CLI is pointed at it with
// `--client=<addr>`. This file is that, and only that, set up as Automation API's Stack does it
// (automation/stack.js), so that a test can run the real CLI itself (with --json, and kill it).
//
// Usage: node programHost.js <program dir> <entry .js file>
// Prints "port=<n>" on stdout once the server listens; exits when stdin closes.
"use strict";
const path = require("path");

const [dir, entry] = process.argv.slice(2);
if (!dir || !entry) {
  console.error("usage: node programHost.js <program dir> <entry .js file>");
  process.exit(2);
}
process.chdir(dir);
// The program's own copy of @pulumi/pulumi: its runtime state is module-global, so the server and
// the program must share one instance.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [dir] }));
const fromPulumi = (name) => require(require.resolve(name, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const { LanguageServer } = require(path.join(pulumiDir, "automation", "server"));
const langrpc = require(path.join(pulumiDir, "proto", "language_grpc_pb"));
const { grpcChannelOptions } = require(path.join(pulumiDir, "runtime", "settings"));

const entryFile = path.resolve(dir, entry);
// `pulumi up` without --skip-preview runs the program twice (preview, then update) on one runtime,
// as the real host would start it twice: load it afresh each time so it registers its resources again.
const program = () => {
  delete require.cache[entryFile];
  return require(entryFile);
};

const server = new grpc.Server(grpcChannelOptions);
server.addService(langrpc.LanguageRuntimeService, new LanguageServer(program));
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`programHost: cannot listen: ${err.message}`);
    process.exit(1);
  }
  process.stdout.write(`port=${port}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => {
  server.forceShutdown();
  process.exit(0);
});
