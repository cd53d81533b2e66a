/** SSH key library (doc §8): /resource/ssh-keys, /algorithms, /:id */

import { generateSshKeyPair, type SshKeyPairSpec } from "../../core/sshKeyPair";
import { parseOpenSshPublicKey, SshKeyFormatError, type ParsedSshPublicKey } from "../../core/sshPublicKey";
import type { Router } from "../../core/router";
import { notFound, ok, validationFailure } from "../envelope";
import { paginate, parseListQuery } from "../pagination";
import { generateAlgorithms, serializeSshKey, type SshKeyRecord } from "../sshKeyRecord";
import type { GpcnState } from "../state";
import { isRecord, Issues } from "../validation";
import { API_PREFIX } from "./apiPrefix";

const KEYS = `${API_PREFIX}/resource/ssh-keys`;
const NAME_MAX = 30;

const generateSpecs: Record<string, SshKeyPairSpec> = {
  ed25519: { kind: "ed25519" },
  "rsa-2048": { kind: "rsa", bits: 2048 },
  "rsa-4096": { kind: "rsa", bits: 4096 },
  "ecdsa-p256": { kind: "ecdsa", curve: "P-256" },
};

/** Algorithm code for an uploaded key: ed25519, rsa-<bits>, ecdsa-p<bits>. */
function algorithmOf(key: ParsedSshPublicKey): string {
  if (key.kind === "ed25519") return "ed25519";
  return key.kind === "rsa" ? `rsa-${key.bits}` : `ecdsa-p${key.bits}`;
}

export function registerSshKeyRoutes(router: Router, state: GpcnState): void {
  const store = (name: string, publicKey: string, fingerprint: string, algorithm: string): SshKeyRecord => {
    const now = state.clock.wallNow();
    const record = { id: state.newId(), seq: state.nextSeq(), name, publicKey, fingerprint, algorithm, createdAtWall: now, updatedAtWall: now };
    state.sshKeys.set(record.id, record);
    state.counters.sshKeysCreated++;
    return record;
  };

  router.get(KEYS, (ctx) => {
    const q = parseListQuery(ctx.query, ["name", "createdAt"], "createdAt:desc");
    if (!q.ok) return validationFailure(q.issues);
    const search = q.value.search?.toLowerCase();
    const matching = [...state.sshKeys.values()].filter((k) => !search || k.name.toLowerCase().includes(search));
    const page = paginate(matching, q.value, (k, field) =>
      field === "name" ? k.name : `${String(k.createdAtWall).padStart(16, "0")}:${String(k.seq).padStart(10, "0")}`,
    );
    return ok(page.items.map(serializeSshKey), "SSH keys retrieved successfully", page.meta);
  });

  router.get(`${KEYS}/algorithms`, () => ok(generateAlgorithms, "SSH key algorithms retrieved successfully"));

  router.post(KEYS, async (ctx) => {
    const body = ctx.body;
    const issues = new Issues();
    if (!isRecord(body)) {
      issues.add("body", "Request body must be a JSON object");
      return validationFailure(issues.list);
    }
    issues.text(body, "name", "Name", { max: NAME_MAX });
    if (body.type !== "upload" && body.type !== "generate") issues.add("type", 'Type must be "upload" or "generate"');

    if (body.type === "upload") {
      let parsed: ParsedSshPublicKey | undefined;
      if (typeof body.publicKey !== "string" || body.publicKey.trim() === "") issues.add("publicKey", "Public key is required for upload");
      else {
        try {
          parsed = parseOpenSshPublicKey(body.publicKey);
        } catch (err) {
          if (!(err instanceof SshKeyFormatError)) throw err;
          issues.add("publicKey", err.message);
        }
      }
      if (issues.any || !parsed) return validationFailure(issues.list);
      const record = store(body.name as string, (body.publicKey as string).trim(), parsed.fingerprint, algorithmOf(parsed));
      return ok(serializeSshKey(record), "SSH key uploaded successfully", null, 201);
    }

    const spec = typeof body.algorithm === "string" ? generateSpecs[body.algorithm] : undefined;
    if (body.type === "generate" && !spec) {
      issues.add("algorithm", `Algorithm must be one of ${generateAlgorithms.map((a) => a.code).join(", ")}`);
    }
    if (body.passphrase !== undefined && typeof body.passphrase !== "string") issues.add("passphrase", "Passphrase must be a string");
    if (spec?.kind === "ed25519" && body.passphrase) {
      issues.add("passphrase", "Passphrase-protected ed25519 keys are not supported by the emulator; use rsa-* or ecdsa-p256");
    }
    if (issues.any || !spec) return validationFailure(issues.list);
    const name = body.name as string;
    const pair = await generateSshKeyPair(spec, { passphrase: (body.passphrase as string | undefined) || undefined, comment: name });
    const record = store(name, pair.publicKey, pair.fingerprint, body.algorithm as string);
    // The private key is returned this once and never stored.
    return ok({ ...serializeSshKey(record), privateKey: pair.privateKey }, "SSH key generated successfully", null, 201);
  });

  router.get(`${KEYS}/:id`, (ctx) => {
    const key = state.sshKeys.get(ctx.params.id);
    return key ? ok(serializeSshKey(key), "SSH key retrieved successfully") : notFound("SSH key");
  });

  router.put(`${KEYS}/:id`, (ctx) => {
    const key = state.sshKeys.get(ctx.params.id);
    if (!key) return notFound("SSH key");
    const issues = new Issues();
    const body = isRecord(ctx.body) ? ctx.body : {};
    issues.text(body, "name", "Name", { max: NAME_MAX });
    for (const field of Object.keys(body)) {
      if (field !== "name") issues.add(field, "Only the name of an SSH key can be changed");
    }
    if (issues.any) return validationFailure(issues.list);
    key.name = body.name as string;
    key.updatedAtWall = state.clock.wallNow();
    return ok(serializeSshKey(key), "SSH key updated successfully");
  });

  router.delete(`${KEYS}/:id`, (ctx) => {
    if (!state.sshKeys.delete(ctx.params.id)) return notFound("SSH key");
    return { status: 204 };
  });
}
