import { FieldIssue, GpuCloudError } from "../core/errors";

// Fluence's 422 `detail[].loc` names wire fields (`["body","os_image"]`); users know our input
// names, so each issue is renamed before it reaches them.

const OUR_NAME: Record<string, string> = {
  plan_id: "planId",
  os_image: "osImage",
  ssh_key: "sshPublicKey",
  name: "name",
  publicKey: "publicKey",
  instance_id: "id",
  ssh_key_id: "id",
};

/** "body.os_image" / "os_image" / "path.instance_id" → our input name (unknown fields keep theirs). */
export function ourInputName(path: string): string {
  const parts = path.split(".").filter((p) => p !== "body" && p !== "path" && p !== "query");
  if (parts.length === 0) return path;
  const [first, ...rest] = parts;
  return [OUR_NAME[first] ?? first, ...rest].join(".");
}

/** The same error (same class, same details) with its issues and message under our input names. */
export function withOurInputNames(err: unknown): unknown {
  if (!(err instanceof GpuCloudError) || err.issues.length === 0) return err;
  const issues: FieldIssue[] = err.issues.map((i) => ({ ...i, path: ourInputName(i.path) }));
  let message = err.message;
  err.issues.forEach((i, n) => {
    if (i.path && i.path !== issues[n].path) message = message.split(`${i.path}: `).join(`${issues[n].path}: `);
  });
  const Class = err.constructor as new (m: string, d: ConstructorParameters<typeof GpuCloudError>[1]) => GpuCloudError;
  return new Class(message, {
    cloud: err.cloud,
    status: err.status,
    code: err.code,
    requestId: err.requestId,
    issues,
    retryAfterMs: err.retryAfterMs,
    maybeProcessed: err.maybeProcessed,
  });
}
