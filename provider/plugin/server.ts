import * as grpc from "@grpc/grpc-js";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GpucloudProvider } from "./resourceProvider";

// Binds the ResourceProvider service on 127.0.0.1 (an ephemeral port) the way Pulumi's own
// dynamic-provider server does; the caller prints the port.

/** Same message limit as the Pulumi SDK's servers: a large schema or state fits. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface RunningServer {
  port: number;
  provider: GpucloudProvider;
  stop(): Promise<void>;
}

export async function startServer(engineAddress: string | undefined): Promise<RunningServer> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES, "grpc.max_send_message_length": MAX_MESSAGE_BYTES });
  const provider = new GpucloudProvider(engineAddress);
  server.addService(ResourceProviderService, provider.service());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    provider,
    stop: () =>
      new Promise((resolve) => {
        provider.log.close();
        server.tryShutdown(() => resolve());
      }),
  };
}
