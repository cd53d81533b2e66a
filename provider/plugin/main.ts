#!/usr/bin/env node
import { startServer } from "./server";

// The plugin's entry: `pulumi-resource-gpucloud [--logtostderr] [-v=N] [--tracing URL] <engine>`.
// The one and only stdout line is the port; the engine reads it to connect. Everything else goes
// through the engine's Log RPC, or to stderr (which the engine shows only at debug level).

/** The engine's address: the first argument that is not one of the engine's logging flags. */
export function engineAddressOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--tracing") {
      i++;
      continue;
    }
    if (a === "--logtostderr" || a.startsWith("-v=") || a.startsWith("--tracing=") || a.startsWith("--logflow")) continue;
    return a;
  }
  return undefined;
}

async function main(): Promise<void> {
  // A stray rejection must not take down a plugin that is waiting on machines: report it and go on.
  process.on("unhandledRejection", (err) => process.stderr.write(`pulumi-resource-gpucloud: unhandled rejection: ${(err as Error)?.message ?? String(err)}\n`));
  // Anything a library prints must not reach stdout after the port line either.
  console.log = console.info = console.debug = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(" ")}\n`);
  const engine = engineAddressOf(process.argv.slice(2));
  const { port, stop } = await startServer(engine);
  process.stdout.write(`${port}\n`);
  const shutdown = () => void stop().finally(() => process.exit(0));
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

/** Starts the plugin with this process' arguments; the root executable `pulumi-resource-gpucloud` calls it. */
export function runPlugin(): void {
  main().catch((err) => {
    process.stderr.write(`pulumi-resource-gpucloud: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

if (require.main === module) runPlugin();
