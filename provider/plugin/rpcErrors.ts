import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { redact, redactError } from "../core/redaction";
import { toStruct } from "./propertyValues";

// A failed request as the engine reads it. An error carrying an `id` (PartialCreateError: the
// cloud has the machine but it did not become ready, or the wait was cancelled or timed out) is
// ErrorResourceInitFailed in the grpc-status-details-bin trailer, so the engine records the
// resource with that id and its properties instead of losing a machine that bills. Every message
// is scrubbed of the instance's keys on the way out, whatever produced it.

interface InitFailure {
  id: string;
  properties?: Record<string, unknown>;
  reasons?: string[];
}

export function toServiceError(err: unknown, secrets: string[]): Partial<grpc.ServiceError> {
  const e = redactError(err instanceof Error ? err : new Error(String(err)), secrets) as Error & Partial<InitFailure>;
  const message = e.message || String(e);
  const metadata = new grpc.Metadata();
  if (typeof e.id === "string" && e.id) {
    const detail = new ErrorResourceInitFailed();
    detail.setId(e.id);
    detail.setProperties(toStruct(scrubbed(e.properties ?? {}, secrets)));
    detail.setReasonsList((e.reasons ?? []).map((r) => redact(String(r), secrets)));
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, message, metadata };
}

function scrubbed(props: Record<string, unknown>, secrets: string[]): Record<string, unknown> {
  return JSON.parse(redact(JSON.stringify(props), secrets));
}

export function unimplemented(what: string): Partial<grpc.ServiceError> {
  return { code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented by the gpucloud provider` };
}

export function invalidArgument(message: string): Partial<grpc.ServiceError> {
  return { code: grpc.status.INVALID_ARGUMENT, details: message };
}
