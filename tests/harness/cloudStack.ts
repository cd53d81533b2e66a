import { captureResources, type CapturedResource } from "./captureProviders";
import { closeAllHosts, startDynamicHost, urn, type DynamicHost } from "./dynamicHost";
import { startPluginHost } from "../plugin/pluginHost";
import { nativeResources, type Door } from "./doors";
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
  /** Which door the resources go through: Pulumi's dynamic-provider host (default) or the native plugin. */
  door?: Door;
}

export interface CloudStack<E extends RunningEmulator> {
  door: Door;
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
  const door = opts.door ?? "dynamic";
  const captured = await captureResources(program, opts.program, { stack });
  // Through the plugin the same program's resources carry the package's type tokens and no __provider.
  const resources = door === "plugin" ? nativeResources(captured) : captured;
  const prefix = opts.cloud.toUpperCase();
  const defaultConfig = { [`${opts.cloud}:apiKey`]: opts.apiKey, [`${opts.cloud}:endpoint`]: emulator.url };
  const newHost = async (env: Record<string, string> = {}, config: Record<string, string> = defaultConfig, options: { callTimeoutMs?: number } = {}): Promise<DynamicHost> => {
    const hostEnv = { [`${prefix}_API_KEY`]: "", [`${prefix}_ENDPOINT`]: "", ...env };
    const host =
      door === "plugin"
        ? await startPluginHost({ packageRoot: `${program.dir}/node_modules/${program.packageName}`, cwd: program.dir, project: program.project, env: hostEnv })
        : await startDynamicHost({ cwd: program.dir, project: program.project, stack, env: hostEnv, callTimeoutMs: options.callTimeoutMs });
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
    door,
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
