import { captureResources, type CapturedResource } from "../tests/harness/captureProviders";
import { startDynamicHost, urn, type DynamicHost } from "../tests/harness/dynamicHost";
import { createProgramDir, REPO_ROOT, type ProgramDir } from "../tests/harness/programDir";

// A user's program with the package installed under node_modules (a copy, as npm leaves it), its
// resources captured with their real `__provider`, and hosts started in that program dir: the
// path `pulumi up` takes.

export const STACK = "bench";

export interface BenchStack {
  program: ProgramDir;
  resources: CapturedResource[];
  byName(name: string): CapturedResource;
  /** URN of a resource of the same type as the captured `template`, named `name`. */
  urnOf(template: string, name: string): string;
  /** A fresh host configured with `config`. */
  newHost(config: Record<string, string>, options?: { callTimeoutMs?: number; envPrefix?: string; env?: Record<string, string> }): Promise<DynamicHost>;
  close(): void;
}

export async function openStack(label: string, program: string, packageRoot = REPO_ROOT): Promise<BenchStack> {
  const dir = createProgramDir(`bench-${label}`, { packageRoot });
  try {
    const resources = await captureResources(dir, program, { stack: STACK });
    const byName = (name: string) => {
      const r = resources.find((x) => x.name === name);
      if (!r) throw new Error(`bench: no resource "${name}" in the program; have ${resources.map((x) => x.name).join(", ")}`);
      return r;
    };
    return {
      program: dir,
      resources,
      byName,
      urnOf: (template, name) => urn(dir.project, STACK, byName(template).type, name),
      newHost: async (config, options = {}) => {
        // The cloud's environment variables are blanked so only the stack config counts.
        const env = {
          ...(options.envPrefix ? { [`${options.envPrefix}_API_KEY`]: "", [`${options.envPrefix}_ENDPOINT`]: "", [`${options.envPrefix}_REQUESTS_PER_MINUTE`]: "" } : {}),
          ...options.env,
        };
        const host = await startDynamicHost({ cwd: dir.dir, project: dir.project, stack: STACK, env, callTimeoutMs: options.callTimeoutMs ?? 60_000 });
        await host.configure(config);
        return host;
      },
      close: () => dir.cleanup(),
    };
  } catch (e) {
    dir.cleanup();
    throw e;
  }
}
