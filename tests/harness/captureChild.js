"use strict";
// Child process of captureResources(): runs one Pulumi program under setMocks in plain node
// (not jest: the closure serializer looks modules up in Node's require.cache) and writes every
// registered resource to a JSON file. Usage: node captureChild.js <programFile> <resultFile>
const fs = require("fs");
const path = require("path");

const [programFile, resultFile] = process.argv.slice(2);
const project = process.env.CAPTURE_PROJECT;
const stack = process.env.CAPTURE_STACK;
const timeoutMs = Number(process.env.CAPTURE_TIMEOUT_MS);

const resources = [];
const secretOutputs = new Map();

function fail(message) {
  process.stderr.write(`captureResources: ${message}\n`);
  process.exit(1);
}

// A __provider serialization failure surfaces only as an unhandled rejection; the registration
// it belongs to then never completes. Both must end the run with the message on stderr.
process.on("unhandledRejection", (e) => fail(`unhandled rejection: ${(e && e.stack) || e}`));
process.on("uncaughtException", (e) => fail(`uncaught exception: ${(e && e.stack) || e}`));

const timer = setTimeout(() => {
  const names = resources.map((r) => `${r.type}::${r.name}`).join(", ") || "none";
  fail(`timed out after ${timeoutMs} ms waiting for the program's resource registrations (registered: ${names})`);
}, timeoutMs);

function toJson(value) {
  const seen = new WeakSet();
  return JSON.stringify(value, (key, v) => {
    if (v && typeof v === "object") {
      if (v.__pulumiResource === true) {
        return { __resource: v.constructor && v.constructor.name };
      }
      if (seen.has(v)) return "[Circular]";
      seen.add(v);
    }
    return v;
  });
}

async function main() {
  const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [path.dirname(programFile)] }));
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, additionalSecretOutputs: secretOutputs.get(args.name) || [] });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    project,
    stack,
  );
  // The mocks API does not pass resource options; read the secret-output list off the request.
  const monitor = pulumi.runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, ...rest) => {
    secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
    return register(req, ...rest);
  };
  const exported = require(programFile);
  if (typeof exported === "function") {
    await exported();
  } else if (exported && typeof exported.then === "function") {
    await exported;
  }
  await pulumi.runtime.waitForRPCs();
  // A failed registration releases waitForRPCs in the same tick in which its rejection goes
  // unhandled; Node reports unhandled rejections only after the microtask queue drains.
  await new Promise((resolve) => setImmediate(resolve));
  clearTimeout(timer);
  fs.writeFileSync(resultFile, toJson(resources));
  process.exit(0);
}

main().catch((e) => fail((e && e.stack) || String(e)));
