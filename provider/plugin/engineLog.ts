import * as grpc from "@grpc/grpc-js";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { currentCallScope } from "../core/callScope";
import type { LogLevel, LogSink } from "../core/progressLog";
import { redact } from "../core/redaction";

// Progress and warnings go to the engine's Log RPC, which is what `pulumi up` prints under the
// resource. Never stdout: the engine reads the port from it. When there is no engine to reach
// (a bench or a test without one) a line goes to stderr, still scrubbed of the keys.

export class EngineLog {
  private client?: EngineClient;

  constructor(
    address: string | undefined,
    private readonly secrets: () => string[],
  ) {
    this.connect(address);
  }

  /** Handshake may name the engine again; the later address wins. */
  connect(address: string | undefined): void {
    if (!address || address === this.address) return;
    this.client?.close();
    this.address = address;
    this.client = new EngineClient(address, grpc.credentials.createInsecure());
  }

  private address?: string;

  /** The sink for provider/core/progressLog: the URN comes from the request being served. */
  readonly sink: LogSink = (level: LogLevel, message: string) => {
    void this.log(level, message, currentCallScope()?.urn);
  };

  log(level: LogLevel | "error", message: string, urn = ""): Promise<void> {
    const text = redact(message, this.secrets());
    const req = new LogRequest();
    req.setSeverity(level === "warn" ? LogSeverity.WARNING : level === "error" ? LogSeverity.ERROR : LogSeverity.INFO);
    req.setMessage(text);
    req.setUrn(urn);
    const client = this.client;
    if (!client) return Promise.resolve(this.toStderr(level, text));
    return new Promise((resolve) =>
      client.log(req, (err) => {
        if (err) this.toStderr(level, text);
        resolve();
      }),
    );
  }

  private toStderr(level: string, text: string): void {
    process.stderr.write(`[${level}] ${text}\n`);
  }

  close(): void {
    this.client?.close();
  }
}
