import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, writeProgramFile, type ProgramDir } from "./programDir";

export interface CapturedResource {
  /** Type token, e.g. "pulumi-nodejs:dynamic/fixture:Thing". */
  type: string;
  name: string;
  /** Inputs as the mock monitor saw them; dynamic resources carry the `__provider` text. */
  inputs: Record<string, any>;
  /** The resource's additionalSecretOutputs option. */
  additionalSecretOutputs: string[];
}

export interface CaptureOptions {
  /** Stack config, e.g. {"gpcn:region": "eu"}; passed to the program as PULUMI_CONFIG. */
  config?: Record<string, string>;
  /** Config keys to mark secret (PULUMI_CONFIG_SECRET_KEYS). */
  secretKeys?: string[];
  stack?: string;
  /** File name inside the program dir the program text is written to. Default "index.js". */
  file?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

// The child is plain JS run by node, so it is read from the source tree even when this file runs from dist/.
const CHILD_SCRIPT = path.join(REPO_ROOT, "tests", "harness", "captureChild.js");
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Runs `programJs` with plain `node` inside the program dir under pulumi.runtime.setMocks and
 * returns every registered resource. Throws (with the child's stderr) on a non-zero exit, which
 * includes unhandled rejections such as `error serializing property "__provider"` and timeouts.
 */
export async function captureResources(
  program: Pick<ProgramDir, "dir" | "project">,
  programJs: string,
  options: CaptureOptions = {},
): Promise<CapturedResource[]> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const programFile = writeProgramFile(program.dir, options.file ?? "index.js", programJs);
  const resultFile = path.join(program.dir, `.capture-${crypto.randomBytes(4).toString("hex")}.json`);
  const env: NodeJS.ProcessEnv = {
    ...envWithoutPulumi(),
    CAPTURE_PROJECT: program.project,
    CAPTURE_STACK: options.stack ?? "test",
    CAPTURE_TIMEOUT_MS: String(timeoutMs),
    PULUMI_CONFIG: JSON.stringify(options.config ?? {}),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
    ...options.env,
  };
  try {
    const { code, signal, stdout, stderr } = await runNode(
      [CHILD_SCRIPT, programFile, resultFile],
      program.dir,
      env,
      timeoutMs + 5_000,
    );
    if (code !== 0) {
      throw new Error(
        `captureResources: node ${path.basename(programFile)} in ${program.dir} exited with ` +
          `${signal ?? `code ${code}`}\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`,
      );
    }
    return JSON.parse(fs.readFileSync(resultFile, "utf8"));
  } finally {
    fs.rmSync(resultFile, { force: true });
  }
}

/** The `__provider` text of the first captured resource named `name` (or the only dynamic one). */
export function providerText(resources: CapturedResource[], name?: string): string {
  const dynamic = resources.filter((r) => r.inputs && "__provider" in r.inputs);
  const match = name === undefined ? dynamic : dynamic.filter((r) => r.name === name);
  if (match.length === 0 || (name === undefined && match.length > 1)) {
    const have = resources.map((r) => `${r.type}::${r.name}`).join(", ") || "none";
    throw new Error(`providerText: no unique dynamic resource${name ? ` "${name}"` : ""} (captured: ${have})`);
  }
  const value = unwrapSecrets(match[0].inputs.__provider);
  if (typeof value !== "string") {
    throw new Error(`providerText: __provider of "${match[0].name}" is not a string`);
  }
  return value;
}

/** Strips secret wrappers the way the engine does before calling a provider with acceptSecrets:false. */
export function unwrapSecrets<T = any>(value: T): T {
  if (Array.isArray(value)) return value.map(unwrapSecrets) as T;
  if (value && typeof value === "object") {
    const obj = value as Record<string, any>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)])) as T;
  }
  return value;
}

/** process.env minus PULUMI_* so an outer Pulumi run or developer shell cannot leak into the child. */
export function envWithoutPulumi(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_")));
}

interface NodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv, killAfterMs: number): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const killer = setTimeout(() => {
      stderr += `\n[harness] child still running after ${killAfterMs} ms; killed`;
      child.kill("SIGKILL");
    }, killAfterMs);
    child.on("error", (e) => {
      clearTimeout(killer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
