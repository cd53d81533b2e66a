/** Validation of `POST /gpu/instances/{vms|baremetal}` and the rename body, as Pydantic reports it (422 `detail[]`). */

import { parseOpenSshPublicKey, SshKeyFormatError } from "../core/sshPublicKey";
import type { DetailIssue } from "./envelope";

export interface DeployRequest {
  plan_id: string;
  name: string;
  ssh_key: string;
  os_image: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NAME_PATTERN = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
const NAME = new RegExp(NAME_PATTERN);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function requiredString(body: Record<string, unknown>, field: string, issues: DetailIssue[]): string | undefined {
  const value = body[field];
  if (value === undefined) issues.push({ type: "missing", loc: ["body", field], msg: "Field required", input: body });
  else if (typeof value !== "string") issues.push({ type: "string_type", loc: ["body", field], msg: "Input should be a valid string", input: value });
  else return value;
  return undefined;
}

export function nameIssues(name: string): DetailIssue[] {
  if (name.length < 1) return [{ type: "string_too_short", loc: ["body", "name"], msg: "String should have at least 1 character", input: name }];
  if (name.length > 25) return [{ type: "string_too_long", loc: ["body", "name"], msg: "String should have at most 25 characters", input: name }];
  if (!NAME.test(name)) return [{ type: "string_pattern_mismatch", loc: ["body", "name"], msg: `String should match pattern '${NAME_PATTERN}'`, input: name }];
  return [];
}

export function parseDeployRequest(body: unknown): { ok: true; value: DeployRequest } | { ok: false; issues: DetailIssue[] } {
  if (!isRecord(body)) return { ok: false, issues: [{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: body }] };
  const issues: DetailIssue[] = [];
  const planId = requiredString(body, "plan_id", issues);
  if (planId !== undefined && !UUID.test(planId)) {
    issues.push({ type: "uuid_parsing", loc: ["body", "plan_id"], msg: "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]", input: planId });
  }
  const name = requiredString(body, "name", issues);
  if (name !== undefined) issues.push(...nameIssues(name));
  const sshKey = requiredString(body, "ssh_key", issues);
  if (sshKey !== undefined) {
    try {
      parseOpenSshPublicKey(sshKey);
    } catch (err) {
      if (!(err instanceof SshKeyFormatError)) throw err;
      issues.push({ type: "value_error", loc: ["body", "ssh_key"], msg: `Value error, Invalid SSH public key: ${err.message}`, input: sshKey });
    }
  }
  const osImage = requiredString(body, "os_image", issues);
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: { plan_id: planId!, name: name!, ssh_key: sshKey!, os_image: osImage! } };
}

export function isUuid(s: string): boolean {
  return UUID.test(s);
}
