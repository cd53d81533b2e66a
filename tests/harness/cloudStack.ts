import { captureResources, type CapturedResource } from "./captureProviders";
import { closeAllHosts, startDynamicHost, urn, type DynamicHost } from "./dynamicHost";
import { createProgramDir, REPO_ROOT, type LinkMode, type ProgramDir } from "./programDir";

// One cloud's emulator + a user's program with the package installed under node_modules + a
// configured dynamic-provider host: the fixture every cloud's host-driven tests start from.

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
}

export interface CloudStackOptions<E extends RunningEmulator> {
  /** Config namespace, e.g. "gpcn"; env vars are its upper case (GPCN_API_KEY, GPCN_ENDPOINT). */
  cloud: string;
  apiKey: string;
  startEmulator(): Promise<E>;
  /** JavaScript of the program, requiring "pulumi-gpucloud". */
  program: string;
  linkMode?: LinkMode;
  stack?: string;
}

export interface CloudStack<E extends RunningEmulator> {
  emulator: E;
  /** The key the host is configured with: tests assert it never shows up anywhere. */
  apiKey: string;
  program: ProgramDir;
  resources: CapturedResource[];
  host: DynamicHost;
  byName(name: string): CapturedResource;
  /** The URN of a captured resource. */
  urnOf(name: string): string;
  /** Another host; env for the cloud's variables is blank unless given. Config defaults to key + endpoint. */
  newHost(env?: Record<string, string>, config?: Record<string, string>, options?: { callTimeoutMs?: number }): Promise<DynamicHost>;
  close(): Promise<void>;
}

export async function startCloudStack<E extends RunningEmulator>(opts: CloudStackOptions<E>): Promise<CloudStack<E>> {
  const emulator = await opts.startEmulator();
  const program = createProgramDir(opts.cloud, { packageRoot: REPO_ROOT, linkMode: opts.linkMode });
  const stack = opts.stack ?? "test";
  const resources = await captureResources(program, opts.program, { stack });
  const prefix = opts.cloud.toUpperCase();
  const defaultConfig = { [`${opts.cloud}:apiKey`]: opts.apiKey, [`${opts.cloud}:endpoint`]: emulator.url };
  const newHost = async (env: Record<string, string> = {}, config: Record<string, string> = defaultConfig, options: { callTimeoutMs?: number } = {}) => {
    const host = await startDynamicHost({
      cwd: program.dir,
      project: program.project,
      stack,
      env: { [`${prefix}_API_KEY`]: "", [`${prefix}_ENDPOINT`]: "", ...env },
      callTimeoutMs: options.callTimeoutMs,
    });
    await host.configure(config);
    return host;
  };
  const host = await newHost();
  const byName = (name: string) => {
    const r = resources.find((x) => x.name === name);
    if (!r) throw new Error(`no captured resource ${name}; captured: ${resources.map((x) => x.name).join(", ")}`);
    return r;
  };
  return {
    emulator,
    apiKey: opts.apiKey,
    program,
    resources,
    host,
    byName,
    urnOf: (name) => urn(program.project, stack, byName(name).type, name),
    newHost,
    async close() {
      await closeAllHosts();
      await emulator.close();
      program.cleanup();
    },
  };
}
