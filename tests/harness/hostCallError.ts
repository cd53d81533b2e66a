import * as grpc from "@grpc/grpc-js";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { fromStruct, type Props } from "./structs";

export interface InitFailed {
  id: string;
  properties: Props;
  reasons: string[];
}

/** A failed RPC. `message` is the status message the engine would show; `initFailed` is a partial create. */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly grpcCode: grpc.status,
    readonly initFailed?: InitFailed,
  ) {
    super(message);
    this.name = "HostCallError";
  }
}

export function toHostCallError(method: string, err: grpc.ServiceError, callTimeoutMs: number): HostCallError {
  if (err.code === grpc.status.DEADLINE_EXCEEDED) {
    return new HostCallError(method, `${method} did not answer within ${callTimeoutMs} ms`, err.code);
  }
  return new HostCallError(method, err.details, err.code, decodeInitFailed(err.metadata));
}

/** The host packs ErrorResourceInitFailed into a google.rpc.Status in the grpc-status-details-bin trailer. */
function decodeInitFailed(metadata: grpc.Metadata | undefined): InitFailed | undefined {
  for (const bin of metadata?.get("grpc-status-details-bin") ?? []) {
    const status = Status.deserializeBinary(new Uint8Array(bin as Buffer));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const detail = ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return { id: detail.getId(), properties: fromStruct(detail.getProperties()), reasons: detail.getReasonsList() };
    }
  }
  return undefined;
}
