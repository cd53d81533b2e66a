/** SSH keys: POST /ssh-keys and GET /ssh-keys/{id} (documented); list and delete (inferred). */

import type { Router } from "../../core/router";
import { parseOpenSshPublicKey, SshKeyFormatError } from "../../core/sshPublicKey";
import { detail, invalid, notFound, type FieldError } from "../errors";
import type { NovaState, SshKeyRecord } from "../state";

export const MAX_SSH_KEYS = 5;
const ALLOWED_TYPES = new Set(["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"]);

const serialize = (k: SshKeyRecord) => ({ id: k.id, label: k.label, key_type: k.keyType, fingerprint: k.fingerprint, created_at: new Date(k.createdAtWall).toISOString() });

export function registerSshKeyRoutes(router: Router, state: NovaState, disabled: ReadonlySet<string>): void {
  router.post("/ssh-keys", (ctx) => {
    const b = (typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? ctx.body : undefined) as Record<string, unknown> | undefined;
    if (!b) return invalid([{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: ctx.body }]);
    const errors: FieldError[] = [];
    if (b.ssh_public_key === undefined) errors.push({ type: "missing", loc: ["body", "ssh_public_key"], msg: "Field required", input: b });
    else if (typeof b.ssh_public_key !== "string") errors.push({ type: "string_type", loc: ["body", "ssh_public_key"], msg: "Input should be a valid string", input: b.ssh_public_key });
    else if (b.ssh_public_key.length > 16_000) errors.push({ type: "string_too_long", loc: ["body", "ssh_public_key"], msg: "String should have at most 16000 characters", input: "…", ctx: { max_length: 16_000 } });
    if (b.label !== undefined && b.label !== null) {
      if (typeof b.label !== "string") errors.push({ type: "string_type", loc: ["body", "label"], msg: "Input should be a valid string", input: b.label });
      else if (b.label.length > 100) errors.push({ type: "string_too_long", loc: ["body", "label"], msg: "String should have at most 100 characters", input: b.label, ctx: { max_length: 100 } });
    }
    if (errors.length) return invalid(errors);
    let parsed;
    try {
      parsed = parseOpenSshPublicKey(b.ssh_public_key as string);
    } catch (err) {
      if (!(err instanceof SshKeyFormatError)) throw err;
      return detail(400, `Invalid SSH public key: ${err.message}`);
    }
    if (!ALLOWED_TYPES.has(parsed.sshType)) return detail(400, `Unsupported key type ${parsed.sshType}; use ssh-ed25519, ssh-rsa (2048 bits or more) or ecdsa-sha2-nistp256`);
    if (state.sshKeys.size >= MAX_SSH_KEYS) return detail(400, `Maximum of ${MAX_SSH_KEYS} SSH keys allowed per account`);
    const record: SshKeyRecord = {
      id: state.newId(),
      label: typeof b.label === "string" ? b.label : "Default SSH Key",
      keyType: parsed.sshType,
      fingerprint: parsed.fingerprint,
      publicKey: parsed.keyText,
      createdAtWall: state.clock.wallNow(),
    };
    state.sshKeys.set(record.id, record);
    state.counters.sshKeysCreated++;
    return { status: 201, body: serialize(record) };
  });

  router.get("/ssh-keys/:id", (ctx) => {
    const key = state.sshKeys.get(ctx.params.id);
    return key ? { status: 200, body: serialize(key) } : notFound("SSH key");
  });

  if (!disabled.has("GET /ssh-keys")) {
    router.get("/ssh-keys", () => ({ status: 200, body: [...state.sshKeys.values()].sort((a, b) => a.createdAtWall - b.createdAtWall).map(serialize) }));
  }

  if (!disabled.has("DELETE /ssh-keys/:id")) {
    router.delete("/ssh-keys/:id", (ctx) => (state.sshKeys.delete(ctx.params.id) ? { status: 204 } : notFound("SSH key")));
  }
}

export const serializeSshKey = serialize;
