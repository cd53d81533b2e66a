import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import * as readline from "readline";
import { REPO_ROOT } from "../harness/programDir";

// The built `pulumi-gpucloud-emulator` (dist/emulator/cli.js) as a user runs it: a child process
// whose output lines the tests wait on.

export const CLI = path.join(REPO_ROOT, "dist", "emulator", "cli.js");

export class CliProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  private readonly child: ChildProcess;
  private readonly waiters: (() => void)[] = [];

  constructor(args: string[]) {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx tsc -p ." first`);
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const collect = (stream: NodeJS.ReadableStream, into: string[]) =>
      readline.createInterface({ input: stream }).on("line", (line) => {
        into.push(line);
        [...this.waiters].forEach((w) => w());
      });
    collect(this.child.stdout!, this.stdout);
    collect(this.child.stderr!, this.stderr);
    this.exited = new Promise((resolve) => this.child.on("close", (code, signal) => resolve(code ?? signal ?? "unknown")));
  }

  get output(): string {
    return [...this.stdout, ...this.stderr].join("\n");
  }

  /** The first stdout line matching `pattern`, waiting for it; rejects if the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(check), 1);
        fn();
      };
      const check = () => {
        const line = this.stdout.find((l) => pattern.test(l));
        if (line !== undefined) settle(() => resolve(line));
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${this.output}`))), timeoutMs);
      this.waiters.push(check);
      check();
      void this.exited.then((code) => {
        check();
        settle(() => reject(new Error(`exited (${code}) before a line matching ${pattern}; output:\n${this.output}`)));
      });
    });
  }

  /** SIGTERM as a supervisor sends, or SIGINT as Ctrl-C does; resolves with the exit code. */
  async stop(signal: "SIGTERM" | "SIGINT" = "SIGTERM"): Promise<number | string> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** A port p on 127.0.0.1 such that p … p+count-1 were all free just now (another process may still race us). */
export async function freeConsecutivePorts(count: number): Promise<number> {
  const listen = (port: number) =>
    new Promise<net.Server | undefined>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(undefined));
      server.listen(port, "127.0.0.1", () => resolve(server));
    });
  const close = (servers: net.Server[]) => Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await listen(0);
    if (!first) continue;
    const base = (first.address() as net.AddressInfo).port;
    const held = [first];
    for (let i = 1; i < count; i++) {
      const next = base + i <= 65535 ? await listen(base + i) : undefined;
      if (!next) break;
      held.push(next);
    }
    await close(held);
    if (held.length === count) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
