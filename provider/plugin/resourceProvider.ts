import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { runInCallScope } from "../core/callScope";
import { setLogSink } from "../core/progressLog";
import { functionFor } from "../functions";
import { EngineLog } from "./engineLog";
import { importResource } from "./importedInputs";
import { packageInfo } from "./packageInfo";
import { fromStruct, toStruct, unwrapSecrets, type Props } from "./propertyValues";
import { configFailures, ProviderConfig } from "./providerConfig";
import { resourceOf } from "./resourceTypes";
import { invalidArgument, toServiceError, unimplemented } from "./rpcErrors";

// The ResourceProvider service: each RPC translates the engine's request into a call on the same
// handler the dynamic shim uses (provider/index.ts handlerFor) and the answer back. What the
// dynamic door cannot carry is added here: provider config per instance (Configure), the
// request's timeout as the waits' deadline, Cancel, preview, import (Read with only an id),
// detailed diffs, and logging through the engine.

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

const DIFF_KIND: Record<string, pb.PropertyDiff.Kind> = {
  add: pb.PropertyDiff.Kind.ADD,
  addReplace: pb.PropertyDiff.Kind.ADD_REPLACE,
  delete: pb.PropertyDiff.Kind.DELETE,
  deleteReplace: pb.PropertyDiff.Kind.DELETE_REPLACE,
  update: pb.PropertyDiff.Kind.UPDATE,
  updateReplace: pb.PropertyDiff.Kind.UPDATE_REPLACE,
};

export class GpucloudProvider {
  /** This instance's config: one plugin process serves one provider instance. */
  private config = ProviderConfig.empty();
  /** Aborted by Cancel: every wait in flight (and any later) stops. */
  private readonly cancelled = new AbortController();
  readonly log: EngineLog;

  constructor(engineAddress: string | undefined) {
    this.log = new EngineLog(engineAddress, () => this.config.secrets());
    setLogSink(this.log.sink);
  }

  /** The object handed to grpc's addService: every method of the service, bound. */
  service(): grpc.UntypedServiceImplementation {
    const rpc = <Req, Res>(name: string, run: (req: Req) => Promise<Res>): Unary<Req, Res> => {
      return (call, callback) => {
        run(call.request).then(
          (res) => callback(null, res),
          (err) => {
            const e = toServiceError(err, this.config.secrets());
            callback(e, null, e.metadata);
          },
        );
      };
    };
    const notImplemented = (name: string) => (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(unimplemented(name), null);
    return {
      handshake: rpc("handshake", (req: pb.ProviderHandshakeRequest) => this.handshake(req)),
      getPluginInfo: rpc("getPluginInfo", async () => new PluginInfo().setVersion(packageInfo().version)),
      getSchema: rpc("getSchema", (req: pb.GetSchemaRequest) => this.getSchema(req)),
      checkConfig: rpc("checkConfig", (req: pb.CheckRequest) => this.checkConfig(req)),
      diffConfig: rpc("diffConfig", (req: pb.DiffRequest) => this.diffConfig(req)),
      configure: rpc("configure", (req: pb.ConfigureRequest) => this.configure(req)),
      check: rpc("check", (req: pb.CheckRequest) => this.check(req)),
      diff: rpc("diff", (req: pb.DiffRequest) => this.diff(req)),
      create: rpc("create", (req: pb.CreateRequest) => this.create(req)),
      read: rpc("read", (req: pb.ReadRequest) => this.read(req)),
      update: rpc("update", (req: pb.UpdateRequest) => this.update(req)),
      delete: rpc("delete", (req: pb.DeleteRequest) => this.delete(req)),
      invoke: rpc("invoke", (req: pb.InvokeRequest) => this.invoke(req)),
      cancel: rpc("cancel", async () => this.cancel()),
      list: (call: grpc.ServerWritableStream<unknown, unknown>) => call.emit("error", unimplemented("List")),
      construct: notImplemented("Construct"),
      call: notImplemented("Call"),
      parameterize: notImplemented("Parameterize"),
      attach: notImplemented("Attach"),
      getMapping: notImplemented("GetMapping"),
      getMappings: notImplemented("GetMappings"),
    };
  }

  private async handshake(req: pb.ProviderHandshakeRequest): Promise<pb.ProviderHandshakeResponse> {
    this.log.connect(req.getEngineAddress());
    // acceptSecrets=false: the engine strips secrets from inputs and re-marks same-named outputs
    // (and the schema's secret outputs) itself, as for Pulumi's own dynamic-provider server.
    return new pb.ProviderHandshakeResponse().setAcceptSecrets(false).setAcceptResources(false).setAcceptOutputs(false);
  }

  private async getSchema(req: pb.GetSchemaRequest): Promise<pb.GetSchemaResponse> {
    if (req.getVersion() !== 0) throw invalidArgument(`unsupported schema version ${req.getVersion()}`);
    return new pb.GetSchemaResponse().setSchema(packageInfo().schema());
  }

  private async checkConfig(req: pb.CheckRequest): Promise<pb.CheckResponse> {
    const news = fromStruct(req.getNews());
    const res = new pb.CheckResponse().setInputs(req.getNews() ?? toStruct({}));
    return res.setFailuresList(configFailures(news).map((f) => checkFailure(f.property, f.reason)));
  }

  private async diffConfig(req: pb.DiffRequest): Promise<pb.DiffResponse> {
    // Another key or endpoint changes how later calls are made, never the machines: no replace.
    const olds = unwrapSecrets(fromStruct(req.getOldInputs() ?? req.getOlds()));
    const news = unwrapSecrets(fromStruct(req.getNews()));
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== "version");
    const diffs = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const res = new pb.DiffResponse().setChanges(diffs.length ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE);
    return res.setDiffsList(diffs);
  }

  private async configure(req: pb.ConfigureRequest): Promise<pb.ConfigureResponse> {
    const variables = new Map<string, string>(req.getVariablesMap().toArray() as Array<[string, string]>);
    this.config = ProviderConfig.fromConfigure(fromStruct(req.getArgs()), variables);
    return new pb.ConfigureResponse().setAcceptsecrets(false).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
  }

  private async check(req: pb.CheckRequest): Promise<pb.CheckResponse> {
    const { handler, name } = resourceOf(req.getUrn(), req.getType());
    const news = fromStruct(req.getNews());
    // The dynamic SDK defaults `name` to the resource name; generated SDKs leave that to us.
    if (news.name === undefined && handler.rules.fields.name) news.name = name;
    const checked = await this.scoped(req.getUrn(), {}, () => handler.check(this.config, fromStruct(req.getOlds()), news));
    const res = new pb.CheckResponse().setInputs(toStruct(checked.inputs ?? news));
    return res.setFailuresList((checked.failures ?? []).map((f) => checkFailure(f.property, f.reason)));
  }

  private async diff(req: pb.DiffRequest): Promise<pb.DiffResponse> {
    const { handler } = resourceOf(req.getUrn(), req.getType());
    const diff = await this.scoped(req.getUrn(), {}, () => handler.diff(this.config, req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews())));
    const res = new pb.DiffResponse()
      .setChanges(diff.changes ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE)
      .setReplacesList(diff.replaces ?? [])
      .setStablesList(diff.stables ?? [])
      .setDeletebeforereplace(!!diff.deleteBeforeReplace)
      .setDiffsList(diff.diffs ?? []);
    if (diff.detailedDiff) {
      const detailed = res.getDetaileddiffMap();
      for (const [field, d] of Object.entries(diff.detailedDiff as Record<string, { kind: string; inputDiff: boolean }>)) {
        detailed.set(field, new pb.PropertyDiff().setKind(DIFF_KIND[d.kind]).setInputdiff(d.inputDiff));
      }
      res.setHasdetaileddiff(true);
    }
    return res;
  }

  private async create(req: pb.CreateRequest): Promise<pb.CreateResponse> {
    const { handler } = resourceOf(req.getUrn(), req.getType());
    const inputs = fromStruct(req.getProperties());
    // Preview: the inputs (unknowns included) stand in for the state; nothing reaches the cloud.
    if (req.getPreview()) return new pb.CreateResponse().setProperties(toStruct(inputs));
    const created = await this.scoped(req.getUrn(), { timeoutSec: req.getTimeout() }, () => handler.create(this.config, inputs));
    return new pb.CreateResponse().setId(created.id).setProperties(toStruct(created.outs));
  }

  private async read(req: pb.ReadRequest): Promise<pb.ReadResponse> {
    const { token, handler } = resourceOf(req.getUrn(), req.getType());
    const id = req.getId();
    const state = fromStruct(req.getProperties());
    // `pulumi import` (and the `import` option) send only the id: no state, no inputs.
    if (Object.keys(state).length === 0) {
      const imported = await this.scoped(req.getUrn(), {}, () => importResource(token, handler, this.config, id));
      if (!imported) return new pb.ReadResponse().setId("");
      return new pb.ReadResponse().setId(imported.id).setProperties(toStruct(imported.props)).setInputs(toStruct(imported.inputs));
    }
    const res = await this.scoped(req.getUrn(), {}, () => handler.read(this.config, id, state));
    if (!res.id) return new pb.ReadResponse().setId("");
    const inputs = res.inputs ?? fromStruct(req.getInputs());
    return new pb.ReadResponse().setId(res.id).setProperties(toStruct(res.props ?? state)).setInputs(toStruct(inputs));
  }

  private async update(req: pb.UpdateRequest): Promise<pb.UpdateResponse> {
    const { handler } = resourceOf(req.getUrn(), req.getType());
    const news = fromStruct(req.getNews());
    if (req.getPreview()) return new pb.UpdateResponse().setProperties(toStruct({ ...fromStruct(req.getOlds()), ...news }));
    const updated = await this.scoped(req.getUrn(), { timeoutSec: req.getTimeout() }, () =>
      handler.update(this.config, req.getId(), fromStruct(req.getOlds()), news),
    );
    return new pb.UpdateResponse().setProperties(toStruct(updated.outs));
  }

  private async delete(req: pb.DeleteRequest): Promise<Empty> {
    const { handler } = resourceOf(req.getUrn(), req.getType());
    await this.scoped(req.getUrn(), { timeoutSec: req.getTimeout() }, () => handler.delete(this.config, req.getId(), fromStruct(req.getProperties())));
    return new Empty();
  }

  private async invoke(req: pb.InvokeRequest): Promise<pb.InvokeResponse> {
    const fn = functionFor(req.getTok());
    const parsed = fn.inputSchema.safeParse(fromStruct(req.getArgs()));
    if (!parsed.success) {
      const failures = parsed.error.issues.map((i) => checkFailure(i.path.join(".") || "(args)", i.message));
      return new pb.InvokeResponse().setFailuresList(failures);
    }
    const result = await this.scoped("", {}, () => fn.run(this.config, parsed.data));
    return new pb.InvokeResponse().setReturn(toStruct(result));
  }

  private async cancel(): Promise<Empty> {
    this.cancelled.abort(new Error("cancelled: the engine asked the provider to stop (the update was interrupted)"));
    return new Empty();
  }

  /** Runs a handler call with this request's deadline, the Cancel signal and its URN for logs. */
  private scoped<T>(urn: string, opts: { timeoutSec?: number }, run: () => Promise<T>): Promise<T> {
    // After Cancel nothing new starts: the engine is winding the update down.
    if (this.cancelled.signal.aborted) return Promise.reject(this.cancelled.signal.reason);
    const timeoutSec = opts.timeoutSec && opts.timeoutSec > 0 ? opts.timeoutSec : undefined;
    return runInCallScope(
      {
        urn,
        signal: this.cancelled.signal,
        ...(timeoutSec ? { deadlineAt: Date.now() + timeoutSec * 1000, deadlineSource: `customTimeouts (${timeoutSec}s)` } : {}),
      },
      run,
    );
  }
}

function checkFailure(property: string, reason: string): pb.CheckFailure {
  return new pb.CheckFailure().setProperty(property).setReason(reason);
}

export type { Props };
