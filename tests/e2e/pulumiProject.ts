import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { createProgramDir, REPO_ROOT, writeProgramFile, type ProgramDir } from "../harness/programDir";

// One temporary Pulumi project + stack driven by the real `pulumi` CLI: its own PULUMI_HOME, a
// local file backend, a fixed passphrase, nothing but 127.0.0.1 reachable.

/** Fixed so that every run can decrypt its own state; it protects nothing real. */
export const E2E_PASSPHRASE = "gpucloud-e2e-fixed-passphrase";
export const STACK = "e2e";

/** The folder with `pulumi` and the language hosts (set by tests/e2e/globalSetup.ts). */
export function engineBin(): string {
  const bin = process.env.PULUMI_GPUCLOUD_ENGINE_BIN;
  if (!bin) throw new Error("PULUMI_GPUCLOUD_ENGINE_BIN is not set: run the e2e suite through `npm run test:e2e`");
  return bin;
}

export interface CliResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A started `pulumi` command (scripts/pulumi-node): `child` to signal it, `done` for its end. */
export interface RunningCommand {
  child: ChildProcess;
  /** SIGKILLs `pulumi` and every process it started (plugins included), as a crash of the machine would. */
  killHard(): void;
  /**
   * SIGKILLs only the `pulumi` process (and scripts/pulumi-node, where the program runs), as a
   * `kill -9` of the CLI would; returns the pids of the plugins that live on.
   */
  killPulumiOnly(): number[];
  done: Promise<CliResult>;
}

export interface ProjectOptions {
  /** Files of the program, relative to its folder. `.ts` files are compiled to `.js` beside them unless `compile` is false. */
  files: Record<string, string>;
  compile?: boolean;
  /** Extra environment for every `pulumi` run (e.g. a cloud's API key variable). */
  env?: Record<string, string>;
  /** Stack config: `value` set with `pulumi config set` (`secret` adds --secret). */
  config?: Record<string, { value: string; secret?: boolean }>;
}

const PULUMI_NODE = path.join(REPO_ROOT, "scripts", "pulumi-node");

export class PulumiProject {
  readonly root: string;
  readonly home: string;
  readonly backend: string;

  private constructor(
    readonly program: ProgramDir,
    private readonly extraEnv: Record<string, string> = {},
    /** "nodejs" programs run through scripts/pulumi-node; others straight on the CLI. */
    readonly runtime: "nodejs" | "yaml" | "python" = "nodejs",
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "gpucloud-e2e-"));
    this.home = path.join(this.root, "pulumi-home");
    this.backend = path.join(this.root, "state");
    fs.mkdirSync(this.home);
    fs.mkdirSync(this.backend);
  }

  get dir(): string {
    return this.program.dir;
  }

  /** A Node.js project on the package as npm would install it, with stack `e2e` initialised and configured. */
  static async nodejs(name: string, options: ProjectOptions): Promise<PulumiProject> {
    const program = createProgramDir(name, { packageRoot: REPO_ROOT, project: name, files: options.files });
    const project = new PulumiProject(program, options.env, "nodejs");
    return project.init(options, () => {
      if (options.compile !== false) for (const rel of Object.keys(options.files).filter((f) => f.endsWith(".ts"))) project.compile(rel);
    });
  }

  /** A Pulumi YAML project (`Pulumi.yaml` given whole in `files`), with stack `e2e` initialised and configured. */
  static async yaml(name: string, options: ProjectOptions): Promise<PulumiProject> {
    return PulumiProject.plain(name, options, "yaml");
  }

  /**
   * A Python project (`Pulumi.yaml` in `files`), stack `e2e` initialised and configured. The CLI
   * here has no Python host: its program runs through tests/e2e/python/driver.py (Automation API
   * inline program); `cli` still serves config, export and the like.
   */
  static async python(name: string, options: ProjectOptions): Promise<PulumiProject> {
    return PulumiProject.plain(name, options, "python");
  }

  private static async plain(name: string, options: ProjectOptions, runtime: "yaml" | "python"): Promise<PulumiProject> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    const program: ProgramDir = { dir, project: name, packageName: "", cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
    for (const [rel, text] of Object.entries(options.files)) writeProgramFile(dir, rel, text);
    return new PulumiProject(program, options.env, runtime).init(options, () => {});
  }

  private async init(options: ProjectOptions, prepare: () => void): Promise<PulumiProject> {
    try {
      prepare();
      await this.cli(["login", `file://${this.backend}`]);
      await this.cli(["stack", "init", STACK]);
      for (const [key, { value, secret }] of Object.entries(options.config ?? {})) {
        await this.cli(["config", "set", key, value, ...(secret ? ["--secret"] : [])]);
      }
    } catch (e) {
      this.cleanup();
      throw e;
    }
    return this;
  }

  /** The environment of every `pulumi` run: nothing shared with the user's own Pulumi set-up. */
  env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${engineBin()}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: E2E_PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // Plugins come from PATH (the built hosts); never from a download.
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      PULUMI_SUPPRESS_NEO_LINK: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      NO_COLOR: "1",
      ...this.extraEnv,
    };
    delete env.PULUMI_ACCESS_TOKEN;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    return env;
  }

  /** Runs `pulumi <args>` to its end; rejects on a non-zero exit unless `allowFailure`. */
  async cli(args: string[], opts: { allowFailure?: boolean } = {}): Promise<CliResult> {
    const result = await this.start(args).done;
    if (result.code !== 0 && !opts.allowFailure) throw new Error(describeRun(result));
    return result;
  }

  /**
   * Runs `pulumi <args> --json`. `preview --json` prints one document. `up`, `refresh` and
   * `destroy --json` print their preview's document (unless --skip-preview) and then engine events,
   * one a line: those come back as `{ preview, events, summary }`, `summary` being the summaryEvent
   * of the update itself.
   */
  async json<T = any>(args: string[], opts: { allowFailure?: boolean } = {}): Promise<{ result: CliResult; json: T }> {
    const result = await this.cli([...args, "--json"], opts);
    if (process.env.E2E_DUMP) fs.appendFileSync(process.env.E2E_DUMP, `### ${args.join(" ")}\n${result.stdout}\n`);
    let values: any[];
    try {
      values = jsonValues(result.stdout);
    } catch (e) {
      throw new Error(`pulumi ${args.join(" ")} --json: ${(e as Error).message}\n${describeRun(result)}`);
    }
    if (args[0] === "preview") {
      if (values.length !== 1) throw new Error(`pulumi ${args.join(" ")} --json printed ${values.length} JSON values\n${describeRun(result)}`);
      return { result, json: values[0] };
    }
    const events = values.filter((v) => typeof v.sequence === "number");
    const preview = values.find((v) => v.steps || v.changeSummary);
    const summary = events.find((e) => e.summaryEvent && !e.summaryEvent.isPreview)?.summaryEvent;
    if (!summary) throw new Error(`pulumi ${args.join(" ")} --json printed no summary event\n${describeRun(result)}`);
    return { result, json: { preview, events, summary } as T };
  }

  /**
   * Starts `pulumi <args>`: for a Node.js project through scripts/pulumi-node, which gives the
   * commands that run the program a language runtime in its own process (`--client`), as
   * Automation API does for inline programs; for YAML straight on the CLI and its YAML host.
   */
  start(args: string[]): RunningCommand {
    let stdout = "";
    let stderr = "";
    const [command, ...prefix] = this.runtime === "nodejs" ? [process.execPath, PULUMI_NODE] : [path.join(engineBin(), "pulumi")];
    const child = spawn(command, [...prefix, ...args, "--non-interactive"], { cwd: this.dir, env: this.env(), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ args, code, signal, stdout, stderr })));
    return {
      child,
      killHard: () => {
        if (!child.pid) throw new Error("pulumi-node did not start");
        // The engine starts each plugin in a process group of its own, so the tree is walked: a
        // plugin left running would go on with the create the test means to interrupt.
        killAll([child.pid, ...descendantsOf(child.pid)]);
      },
      killPulumiOnly: () => {
        if (!child.pid) throw new Error("pulumi-node did not start");
        const below = descendantsOf(child.pid);
        const pulumi = below.filter((pid) => commandName(pid) === "pulumi");
        if (pulumi.length !== 1) throw new Error(`expected one pulumi process below ${child.pid}, found ${pulumi.length}`);
        killAll([child.pid, ...pulumi]);
        return below.filter((pid) => pid !== pulumi[0]);
      },
      done,
    };
  }

  /** `pulumi stack export`: the checkpoint as the backend stores it. */
  async exportState(opts: { showSecrets?: boolean } = {}): Promise<{ text: string; deployment: any }> {
    const { stdout } = await this.cli(["stack", "export", ...(opts.showSecrets ? ["--show-secrets"] : [])]);
    return { text: stdout, deployment: JSON.parse(stdout).deployment };
  }

  /** Resources of one type in the stack's state. */
  async resourcesOfType(type: string): Promise<any[]> {
    const { deployment } = await this.exportState();
    return (deployment.resources ?? []).filter((r: any) => r.type === type);
  }

  /** Replaces a program file (recompiling `.ts`). */
  write(rel: string, text: string): void {
    fs.writeFileSync(path.join(this.dir, rel), text);
    if (rel.endsWith(".ts")) this.compile(rel);
  }

  private compile(rel: string): void {
    const file = path.join(this.dir, rel);
    const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      fileName: rel,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, strict: true },
    });
    if (out.diagnostics?.length) throw new Error(`${rel}: ${ts.flattenDiagnosticMessageText(out.diagnostics[0].messageText, "\n")}`);
    fs.writeFileSync(file.replace(/\.ts$/, ".js"), out.outputText);
  }

  cleanup(): void {
    this.program.cleanup();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export function describeRun(r: CliResult): string {
  return `pulumi ${r.args.join(" ")} exited ${r.code ?? r.signal}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

/** The JSON values printed one after another in `text` (a pretty-printed document, then one a line). */
export function jsonValues(text: string): any[] {
  const values: any[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    if (text[i] !== "{" && text[i] !== "[") throw new Error(`not JSON at offset ${i}: ${text.slice(i, i + 200)}`);
    let depth = 0;
    let inString = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) break;
      }
    }
    values.push(JSON.parse(text.slice(i, j + 1)));
    i = j + 1;
  }
  return values;
}

/** Every live process below `pid` (children, their children, ...), read from /proc (Linux). */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** SIGKILLs each pid; one that is already gone is fine. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch (e: any) {
      if (e.code !== "ESRCH") throw e;
    }
  }
}

/** The executable name of a process (Linux /proc), or undefined once it has exited. */
function commandName(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Whether the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]);
  } catch {
    return false;
  }
}
