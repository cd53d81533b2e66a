import { spawn } from "child_process";
import { EventEmitter } from "events";
import * as path from "path";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import {
  CheckRequest,
  DiffRequest,
  DiffResponse,
  GetSchemaRequest,
  InvokeRequest,
  ProviderHandshakeRequest,
  ConfigureRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { envWithoutPulumi } from "../harness/captureProviders";
import { DynamicHost, hostOfChild, type StartDynamicHostOptions } from "../harness/dynamicHost";
import { startFakeEngine } from "../harness/fakeEngine";
import { REPO_ROOT } from "../harness/programDir";
import { fromStruct, toStruct, type Props } from "../harness/structs";

// The native plugin driven as the engine drives it: `node dist/provider/plugin/main.js <engine>`
// from the package as installed, its port read from the first stdout line, every RPC over gRPC,
// a fake engine receiving its Log calls. The resource RPCs are DynamicHost's (same wire messages),
// so every host-driven scenario runs through either door unchanged.

export const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

export interface StartPluginHostOptions extends Pick<StartDynamicHostOptions, "env" | "startTimeoutMs" | "callTimeoutMs"> {
  /** Folder of the installed package (holding package.json and dist/); default the repository. */
  packageRoot?: string;
  cwd?: string;
  project?: string;
  /** Extra arguments before the engine address (the engine's --logtostderr, -v=9 …). */
  args?: string[];
  /** Run this file as the engine would (e.g. an installed `pulumi-resource-gpucloud`) instead of node + main.js. */
  executable?: string;
}

/** `gpcn:apiKey` (the dynamic providers' stack config) → `gpcnApiKey` (the package's provider config). */
export function nativeConfigKey(key: string): string {
  if (!key.includes(":")) return key;
  const [cloud, name] = key.split(":");
  if (cloud === "gpucloud") return name; // keys of no one cloud: maxStackPricePerHour
  return `${cloud}${name[0].toUpperCase()}${name.slice(1)}`;
}

export class PluginHost extends DynamicHost {
  /**
   * Configure as the engine sends it: `args` with bare keys and API keys wrapped as secrets,
   * `variables` as `gpucloud:config:<key>` in plain text. Keys may be given as `gpcn:apiKey`.
   */
  override async configure(config: Record<string, string>, only?: "args" | "variables"): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new ConfigureRequest();
    const args: Props = {};
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      const key = nativeConfigKey(k);
      if (only !== "variables") args[key] = /ApiKey$/.test(key) ? { ...SECRET_SIG, value: v } : v;
      if (only !== "args") vars.set(`gpucloud:config:${key}`, v);
    }
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.call<any>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
  }

  async handshake(engineAddress: string): Promise<{ acceptSecrets: boolean }> {
    const req = new ProviderHandshakeRequest();
    req.setEngineAddress(engineAddress);
    const res = await this.call<any>("handshake", req);
    return { acceptSecrets: res.getAcceptSecrets() };
  }

  async pluginVersion(): Promise<string> {
    return (await this.call<PluginInfo>("getPluginInfo", new Empty())).getVersion();
  }

  async schema(): Promise<string> {
    return (await this.call<any>("getSchema", new GetSchemaRequest())).getSchema();
  }

  async checkConfig(news: Props): Promise<{ property: string; reason: string }[]> {
    const req = new CheckRequest();
    req.setUrn("urn:pulumi:test::p::pulumi:providers:gpucloud::default");
    req.setOlds(toStruct({}));
    req.setNews(toStruct(news));
    const res = await this.call<any>("checkConfig", req);
    return res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() }));
  }

  async diffConfig(olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; diffs: string[] }> {
    const req = new DiffRequest();
    req.setUrn("urn:pulumi:test::p::pulumi:providers:gpucloud::default");
    req.setOlds(toStruct(olds));
    req.setOldInputs(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call<any>("diffConfig", req);
    return { changes: res.getChanges() === DiffResponse.DiffChanges.DIFF_SOME, replaces: res.getReplacesList(), diffs: res.getDiffsList() };
  }

  async invoke(token: string, args: Props): Promise<{ result: Props; failures: { property: string; reason: string }[] }> {
    const req = new InvokeRequest();
    req.setTok(token);
    req.setArgs(toStruct(args));
    const res = await this.call<any>("invoke", req);
    return { result: fromStruct(res.getReturn()), failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  async cancel(): Promise<void> {
    await this.call("cancel", new Empty());
  }
}

export async function startPluginHost(options: StartPluginHostOptions = {}): Promise<PluginHost> {
  const output = new EventEmitter();
  const engine = await startFakeEngine(() => output.emit("line"));
  const entry = path.join(options.packageRoot ?? REPO_ROOT, "dist", "provider", "plugin", "main.js");
  // Own process group, so close() takes down the plugin and anything it started.
  const [command, argv] = options.executable ? [options.executable, [] as string[]] : [process.execPath, [entry]];
  const child = spawn(command, [...argv, ...(options.args ?? []), engine.address], {
    cwd: options.cwd ?? REPO_ROOT,
    // An executable script runs whatever `node` is on PATH: make it the one running the tests.
    env: { ...envWithoutPulumi(), PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return hostOfChild(child, options.executable ?? entry, engine, options.startTimeoutMs, () =>
    new PluginHost(child, { project: options.project ?? "plugin", callTimeoutMs: options.callTimeoutMs }, output, engine),
  );
}
