import { spawn, type ChildProcess } from "child_process";
import { EventEmitter } from "events";
import * as path from "path";
import * as readline from "readline";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import {
  CheckRequest,
  ConfigureRequest,
  CreateRequest,
  DeleteRequest,
  DiffRequest,
  DiffResponse,
  ReadRequest,
  UpdateRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import { envWithoutPulumi } from "./captureProviders";
import { startFakeEngine, type EngineLog, type FakeEngine } from "./fakeEngine";
import { toHostCallError } from "./hostCallError";
import { livePidsInGroup, signalGroup } from "./processGroup";
import { fromStruct, toStruct, type Props } from "./structs";

export { HostCallError, type InitFailed } from "./hostCallError";

export type { Props } from "./structs";

export interface StartDynamicHostOptions {
  /** Program dir: the host resolves @pulumi/pulumi and every require() in __provider from here. */
  cwd: string;
  project: string;
  stack?: string;
  env?: Record<string, string>;
  /** Point PULUMI_NODEJS_ENGINE at a fake engine and collect pulumi.log calls in host.engineLogs. */
  captureEngineLogs?: boolean;
  startTimeoutMs?: number;
  /** Deadline of each RPC. */
  callTimeoutMs?: number;
}

export type DiffChanges = "DIFF_SOME" | "DIFF_NONE" | "DIFF_UNKNOWN";

const DIFF_KINDS = ["add", "addReplace", "delete", "deleteReplace", "update", "updateReplace"];

/** What a Diff answered; the dynamic host leaves stables, diffs and detailedDiff empty. */
export interface DiffAnswer {
  changes: DiffChanges;
  replaces: string[];
  deleteBeforeReplace: boolean;
  stables: string[];
  diffs: string[];
  /** field → kind ("update", "updateReplace", …) */
  detailedDiff: Record<string, string>;
}

/** What the engine adds to Create/Update/Delete: customTimeouts' seconds and the preview flag. */
export interface StepOptions {
  timeoutSec?: number;
  preview?: boolean;
}

export function urn(project: string, stack: string, typeToken: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${typeToken}::${name}`;
}

const runningHosts = new Set<DynamicHost>();

/** Closes every host still running in this process; call from afterAll. */
export async function closeAllHosts(): Promise<void> {
  await Promise.all([...runningHosts].map((h) => h.close()));
}

// Last resort if a test file forgets afterAll or the worker dies: never leave hosts behind.
process.on("exit", () => {
  for (const host of runningHosts) signalGroup(host.pid, "SIGKILL");
});

export async function startDynamicHost(options: StartDynamicHostOptions): Promise<DynamicHost> {
  const output = new EventEmitter();
  const engine = options.captureEngineLogs ? await startFakeEngine(() => output.emit("line")) : undefined;
  const launcher = path.join(
    path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [options.cwd] })),
    "pulumi-resource-pulumi-nodejs",
  );
  const env: NodeJS.ProcessEnv = {
    ...envWithoutPulumi(),
    // The launcher runs whatever `node` is on PATH; make it the one running the tests.
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_NODEJS_PROJECT: options.project,
    ...(options.stack ? { PULUMI_NODEJS_STACK: options.stack } : {}),
    ...(engine ? { PULUMI_NODEJS_ENGINE: engine.address } : {}),
    ...options.env,
  };
  // The launcher is a sh script that does not exec node: own process group, killed as a whole.
  // The engine address argument is never dialed.
  const child = spawn(launcher, ["127.0.0.1:1"], {
    cwd: options.cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return hostOfChild(child, launcher, engine, options.startTimeoutMs, () => new DynamicHost(child, options, output, engine));
}

/** The host of a spawned provider process once it printed its port; closed again if it does not. */
export async function hostOfChild<H extends DynamicHost>(
  child: ChildProcess,
  command: string,
  engine: FakeEngine | undefined,
  startTimeoutMs: number | undefined,
  make: () => H,
): Promise<H> {
  if (child.pid === undefined) {
    const reason = await new Promise<Error>((resolve) => child.once("error", resolve));
    await engine?.close();
    throw new Error(`could not spawn ${command}: ${reason.message}`);
  }
  const host = make();
  try {
    await host.waitForPort(startTimeoutMs ?? 10_000);
  } catch (e) {
    await host.close();
    throw e;
  }
  return host;
}

export class DynamicHost {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly pid: number;
  readonly project: string;
  port = 0;
  private client?: ResourceProviderClient;
  private readonly exited: Promise<void>;
  private exitStatus?: string;
  private closing?: Promise<void>;
  private readonly callTimeoutMs: number;

  constructor(
    private readonly child: ChildProcess,
    options: Pick<StartDynamicHostOptions, "project" | "callTimeoutMs">,
    private readonly output: EventEmitter,
    private readonly engine?: FakeEngine,
  ) {
    this.pid = child.pid!;
    this.project = options.project;
    runningHosts.add(this);
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    readline.createInterface({ input: child.stderr! }).on("line", (l) => this.pushLine(this.stderr, l));
    // 'close' (not 'exit') fires once every holder of the pipes — sh and the node host — is gone.
    this.exited = new Promise((resolve) =>
      child.on("close", (code, signal) => {
        this.exitStatus = signal ?? `code ${code}`;
        resolve();
      }),
    );
  }

  /** The fake engine's address (only with captureEngineLogs, and always for the plugin). */
  get engineAddress(): string | undefined {
    return this.engine?.address;
  }

  /** pulumi.log calls seen by the fake engine (only with captureEngineLogs). */
  get engineLogs(): EngineLog[] {
    return this.engine?.logs ?? [];
  }

  /**
   * Resolves with the first line of host stdout, stderr or engine log matching `pattern`, waiting
   * for it if needed: output is written asynchronously and may arrive after the RPC answered.
   */
  waitForOutput(pattern: RegExp | string, timeoutMs = 5_000): Promise<string> {
    const find = () =>
      [...this.stdout, ...this.stderr, ...this.engineLogs.map((l) => l.message)].find((line) =>
        typeof pattern === "string" ? line.includes(pattern) : pattern.test(line),
      );
    return new Promise((resolve, reject) => {
      const onLine = () => {
        const line = find();
        if (line === undefined) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `DynamicHost.waitForOutput: nothing matched ${pattern} within ${timeoutMs} ms\n` +
              `--- stdout ---\n${this.stdout.join("\n")}\n--- stderr ---\n${this.stderr.join("\n")}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.output.off("line", onLine);
      };
      this.output.on("line", onLine);
      onLine();
    });
  }

  private pushLine(lines: string[], line: string): void {
    lines.push(line);
    this.output.emit("line", line);
  }

  /** Calls `listener` with every later line the host prints (stdout and stderr). */
  onOutput(listener: (line: string) => void): () => void {
    this.output.on("line", listener);
    return () => this.output.off("line", listener);
  }

  /** @internal The first stdout line is the port; later lines are the host's output. */
  async waitForPort(timeoutMs: number): Promise<void> {
    const lines = readline.createInterface({ input: this.child.stdout! });
    const portLine = await new Promise<string>((resolve, reject) => {
      let first = true;
      const timer = setTimeout(
        () => reject(this.startError(`did not print its port within ${timeoutMs} ms`)),
        timeoutMs,
      );
      lines.on("line", (line) => {
        if (!first) return this.pushLine(this.stdout, line);
        first = false;
        clearTimeout(timer);
        resolve(line);
      });
      this.exited.then(() => {
        clearTimeout(timer);
        reject(this.startError(`exited (${this.exitStatus}) before printing its port`));
      });
    });
    const port = Number(portLine.trim());
    if (!Number.isInteger(port) || port <= 0) throw this.startError(`printed "${portLine}" instead of a port`);
    this.port = port;
    this.client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  async configure(config: Record<string, string>): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new ConfigureRequest();
    req.setArgs(toStruct(config));
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) vars.set(k, v);
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.call<any>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call<any>("check", req);
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffAnswer> {
    const req = new DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    const res = await this.call<any>("diff", req);
    const names: Record<number, DiffChanges> = {
      [DiffResponse.DiffChanges.DIFF_SOME]: "DIFF_SOME",
      [DiffResponse.DiffChanges.DIFF_NONE]: "DIFF_NONE",
      [DiffResponse.DiffChanges.DIFF_UNKNOWN]: "DIFF_UNKNOWN",
    };
    const detailedDiff: Record<string, string> = {};
    res.getDetaileddiffMap().forEach((d: any, field: string) => (detailedDiff[field] = DIFF_KINDS[d.getKind()]));
    return {
      changes: names[res.getChanges()],
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
      stables: res.getStablesList(),
      diffs: res.getDiffsList(),
      detailedDiff,
    };
  }

  /** `timeoutSec` is what customTimeouts.create would send (the dynamic host ignores it). */
  async create(urn: string, props: Props, opts: StepOptions = {}): Promise<{ id: string; properties: Props }> {
    const req = new CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    if (opts.timeoutSec !== undefined) req.setTimeout(opts.timeoutSec);
    if (opts.preview) req.setPreview(true);
    const res = await this.call<any>("create", req);
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  async read(id: string, urn: string, props: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    if (inputs) req.setInputs(toStruct(inputs));
    const res = await this.call<any>("read", req);
    return {
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
      inputs: res.hasInputs() ? fromStruct(res.getInputs()) : undefined,
    };
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props, opts: StepOptions = {}): Promise<{ properties: Props }> {
    const req = new UpdateRequest();
    if (opts.timeoutSec !== undefined) req.setTimeout(opts.timeoutSec);
    if (opts.preview) req.setPreview(true);
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    const res = await this.call<any>("update", req);
    return { properties: fromStruct(res.getProperties()) };
  }

  async delete(id: string, urn: string, props: Props, opts: StepOptions = {}): Promise<void> {
    const req = new DeleteRequest();
    if (opts.timeoutSec !== undefined) req.setTimeout(opts.timeoutSec);
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    await this.call("delete", req);
  }

  /**
   * Closes this end of the host's stdout pipe, as when the engine that reads it dies (`kill -9
   * pulumi`) and the host lives on: the host's later writes there fail with EPIPE.
   */
  closeStdout(): void {
    this.child.stdout!.destroy();
  }

  /** Kills the host's whole process group and waits until it is gone. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.client?.close();
    if (this.exitStatus === undefined) {
      signalGroup(this.pid, "SIGTERM");
      if (!(await this.exitedWithin(5_000))) {
        signalGroup(this.pid, "SIGKILL");
        if (!(await this.exitedWithin(5_000))) {
          throw new Error(`DynamicHost.close: host group ${this.pid} survived SIGKILL`);
        }
      }
    }
    // The sh launcher can be gone while a node host it started still runs (pipes closed early).
    if (livePidsInGroup(this.pid).length > 0) signalGroup(this.pid, "SIGKILL");
    await this.engine?.close();
    runningHosts.delete(this);
  }

  private exitedWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout;
    return Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]).finally(() => clearTimeout(timer));
  }

  protected call<T>(method: string, req: unknown): Promise<T> {
    const client = this.client as any;
    if (!client) return Promise.reject(new Error(`DynamicHost.${method}: host is not started`));
    if (this.exitStatus !== undefined) {
      return Promise.reject(new Error(`DynamicHost.${method}: host exited (${this.exitStatus})\n${this.stderr.join("\n")}`));
    }
    const deadline = Date.now() + this.callTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      client[method](req, new grpc.Metadata(), { deadline }, (err: grpc.ServiceError | null, res: T) => {
        if (err) reject(toHostCallError(method, err, this.callTimeoutMs));
        else resolve(res);
      });
    });
  }

  private startError(what: string): Error {
    const stderr = this.stderr.length ? `\n--- host stderr ---\n${this.stderr.join("\n")}` : "";
    return new Error(`startDynamicHost: host (pid ${this.pid}) ${what}${stderr}`);
  }
}
