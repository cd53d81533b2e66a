"use strict";
// Child process of stackExports(): runs a Pulumi program under setMocks in plain node, answering
// each registration with the real id and outputs the host produced for that resource, and writes
// the program's resolved exports (what `pulumi stack output --show-secrets` would print).
// Usage: node exportsChild.js <programFile> <stateFile> <resultFile>
const fs = require("fs");
const path = require("path");

const [programFile, stateFile, resultFile] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`stackExports: ${message}\n`);
  process.exit(1);
};
process.on("unhandledRejection", (e) => fail(`unhandled rejection: ${(e && e.stack) || e}`));
const timer = setTimeout(() => fail("timed out resolving the program's exports"), Number(process.env.EXPORTS_TIMEOUT_MS || 20000));

async function main() {
  const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [path.dirname(programFile)] }));
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8")); // {"<type>::<name>": {id, outputs}}
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const real = state[`${args.type}::${args.name}`];
        if (!real) throw new Error(`no deployed state for ${args.type}::${args.name}`);
        return { id: real.id, state: real.outputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    process.env.EXPORTS_PROJECT,
    process.env.EXPORTS_STACK,
  );
  const exported = require(programFile);
  const names = Object.keys(exported).filter((k) => k !== "__esModule");
  // pulumi.output() unwraps nested Outputs/Promises; apply runs because this is not a preview.
  const values = await Promise.all(names.map((k) => new Promise((resolve) => pulumi.output(exported[k]).apply(resolve))));
  await pulumi.runtime.waitForRPCs();
  clearTimeout(timer);
  fs.writeFileSync(resultFile, JSON.stringify(Object.fromEntries(names.map((k, i) => [k, values[i] === undefined ? null : values[i]]))));
  process.exit(0);
}

main().catch((e) => fail((e && e.stack) || String(e)));
