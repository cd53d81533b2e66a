import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";

export interface EngineLog {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

const SEVERITIES: EngineLog["severity"][] = ["debug", "info", "warning", "error"];

/**
 * A minimal pulumirpc.Engine that only records Log calls. With PULUMI_NODEJS_ENGINE pointing at it,
 * pulumi.log.* inside the host goes here (as under `pulumi up`) instead of to the host's stdout.
 */
export interface FakeEngine {
  address: string;
  logs: EngineLog[];
  close(): Promise<void>;
}

export async function startFakeEngine(onLog: (log: EngineLog) => void = () => {}): Promise<FakeEngine> {
  const logs: EngineLog[] = [];
  const server = new grpc.Server();
  server.addService(EngineService, {
    log(call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) {
      const req = call.request;
      const log: EngineLog = { severity: SEVERITIES[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn() };
      logs.push(log);
      onLog(log);
      callback(null, new Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    logs,
    close: async () => server.forceShutdown(),
  };
}
