import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { captureResources, envWithoutPulumi, providerText } from "../tests/harness/captureProviders";
import { writeProgramFile } from "../tests/harness/programDir";
import type { BenchCloud } from "./clouds";
import { openStack } from "./stack";
import { fmt, ratio, type Row } from "./table";

// `__provider` bytes per resource type with the package installed under node_modules, captured
// from a real program; then the implementation of the installed copy is changed (a statement
// added to create, a comment appended) and the program captured again: the text must not move.
// Baseline: the same provider as an ordinary closure — an object literal whose methods call the
// implementation captured by value — serialized the way dynamic.Resource does it.

const LIMIT = 1024;

const CLOSURE_CHILD = `"use strict";
const crypto = require("crypto");
const pulumi = require("@pulumi/pulumi");
const { handlerFor } = require("pulumi-gpucloud/provider");
const impl = handlerFor(process.argv[2]);
const provider = {
  configure(req) { this.config = req.config; return Promise.resolve(); },
  check(olds, news) { return impl.check(this.config, olds, news); },
  diff(id, olds, news) { return impl.diff(this.config, id, olds, news); },
  create(inputs) { return impl.create(this.config, inputs); },
  read(id, props) { return impl.read(this.config, id, props); },
  update(id, olds, news) { return impl.update(this.config, id, olds, news); },
  delete(id, props) { return impl.delete(this.config, id, props); },
};
const out = (o) => process.stdout.write(JSON.stringify(o), () => process.exit(0));
pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then(
  (r) => out({ ok: true, bytes: Buffer.byteLength(r.text), sha: crypto.createHash("sha256").update(r.text).digest("hex") }),
  (e) => out({ ok: false, error: String((e && e.message) || e) }),
);
`;

interface ClosureResult {
  ok: boolean;
  bytes?: number;
  sha?: string;
  error?: string;
}

function serializeClosure(dir: string, type: string): Promise<ClosureResult> {
  const file = writeProgramFile(dir, "closure-serialize.js", CLOSURE_CHILD);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, type], { cwd: dir, env: envWithoutPulumi(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      try {
        resolve(JSON.parse(stdout));
      } catch {
        resolve({ ok: false, error: `child exited with ${signal ?? code}: ${stderr.trim().split("\n").slice(-3).join(" ")}` });
      }
    });
  });
}

/**
 * Why the by-value baseline fails: Pulumi's closure serializer writes every module the captured
 * code uses as a require() of a public entry point, found through the package's `exports` map
 * (@pulumi/pulumi runtime/closure/package.js); zod 4's internal files (zod/v4/core/util.cjs) have
 * no entry there, hence "package.json export path … not found". A property of the baseline's
 * approach, not an error of the benchmark.
 */
const CLOSURE_FAILS =
  "the baseline closure cannot be serialized: Pulumi's serializer must name each captured module by an entry point of its package's exports map, and zod's internal files have none";

/** The first line of a serializer error plus the line naming what could not be captured. */
function shortError(message: string): string {
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  const why = lines.find((l) => /could not|cannot|captured|not supported|Function code/i.test(l) && l !== lines[0]);
  return [lines[0], why].filter(Boolean).join(" … ").slice(0, 240);
}

/** A real change to the implementation of the installed copy: a statement in create, a comment at the end. */
function changeImplementation(dir: string, cloud: BenchCloud): string[] {
  const changed: string[] = [];
  for (const rel of cloud.implementationFiles) {
    const file = path.join(dir, "node_modules", "pulumi-gpucloud", rel);
    if (!fs.existsSync(file)) continue;
    let text = fs.readFileSync(file, "utf8");
    text = text.replace(/(async function create\([^)]*\) \{)/, `$1 void "release 2";`);
    fs.writeFileSync(file, `${text}\n// bench: a new release\n`);
    changed.push(rel);
  }
  return changed;
}

/** What the serialized text loads, e.g. `require("pulumi-gpucloud/dist/sdk/shims/gpcnGpuVm.js")`. */
function describeText(text: string): string {
  const requires = [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
  return requires.length ? `loads ${requires.map((r) => `require("${r}")`).join(", ")}` : "inlines the code";
}

export async function benchProviderSize(cloud: BenchCloud): Promise<Row[]> {
  const stack = await openStack(`${cloud.name}-size`, cloud.program);
  try {
    const types = Object.keys(cloud.resourceNames);
    const textOf = (resources: typeof stack.resources, type: string) => providerText(resources, cloud.resourceNames[type]);
    const before = new Map(types.map((t) => [t, textOf(stack.resources, t)]));
    const closureBefore = new Map<string, ClosureResult>();
    for (const t of types) closureBefore.set(t, await serializeClosure(stack.program.dir, t));

    const changed = changeImplementation(stack.program.dir, cloud);
    const again = await captureResources(stack.program, fs.readFileSync(path.join(stack.program.dir, "index.js"), "utf8"), { stack: "bench" });
    const closureAfter = new Map<string, ClosureResult>();
    for (const t of types) closureAfter.set(t, await serializeClosure(stack.program.dir, t));

    return types.map((t) => {
      const text = before.get(t)!;
      const bytes = Buffer.byteLength(text);
      const same = textOf(again, t) === text;
      const cb = closureBefore.get(t)!;
      const ca = closureAfter.get(t)!;
      const baseline = cb.ok
        ? `${fmt.bytes(cb.bytes!)}, ${ca.ok && ca.sha === cb.sha ? "identical" : "changed"} after the change`
        : `fails to serialize`;
      return {
        cloud: cloud.name,
        metric: `__provider bytes, ${t} (installed package)`,
        ours: `${fmt.bytes(bytes)}, ${same ? "identical" : "CHANGED"} after the change`,
        baseline,
        ratio: cb.ok ? ratio(bytes, cb.bytes!) : "—",
        target: `≤ ${fmt.bytes(LIMIT)}, identical`,
        met: bytes <= LIMIT && same,
        note:
          `ours: ${describeText(text)}; changed ${changed.join(", ") || "nothing (files missing)"}` +
          (cb.ok ? "" : `; ${CLOSURE_FAILS} (${shortError(cb.error ?? "")})`),
      };
    });
  } finally {
    stack.close();
  }
}

