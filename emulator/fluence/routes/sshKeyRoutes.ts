/**
 * The account key library on the main API (shared/api/fluence.md §10): GET/POST /v1/ssh_keys,
 * DELETE /v1/ssh_keys/{id}, POST /v1/ssh_keys/delete. Duplicate key material (comment ignored)
 * answers 409, or, in legacy mode, 200 with the existing key.
 */

import type { Router } from "../../core/router";
import { parseOpenSshPublicKey, SshKeyFormatError, type ParsedSshPublicKey } from "../../core/sshPublicKey";
import { mainApiError } from "../envelope";
import { serializeSshKey, type SshKeyRecord } from "../sshKeyRecord";
import type { FluenceState } from "../state";

const KEYS = "/v1/ssh_keys";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

export function registerSshKeyRoutes(router: Router, state: FluenceState): void {
  router.get(KEYS, (ctx) => {
    const page = positiveInt(ctx.query.get("page"), 1);
    const perPage = positiveInt(ctx.query.get("perPage"), 20);
    if (page === undefined || perPage === undefined || perPage > 200) {
      return mainApiError(400, "bad_request", "page must be >= 1 and perPage between 1 and 200");
    }
    const ids = (ctx.query.get("ids") ?? "").split(",").filter(Boolean);
    const all = [...state.sshKeys.values()].sort((a, b) => a.seq - b.seq);
    const filtered = ids.length ? all.filter((k) => ids.includes(k.id)) : all;
    const items = filtered.slice((page - 1) * perPage, page * perPage).map(serializeSshKey);
    return {
      status: 200,
      body: {
        items,
        pagination: {
          totalRecords: all.length,
          filteredRecords: filtered.length,
          totalPages: Math.max(1, Math.ceil(filtered.length / perPage)),
          currentPage: page,
          perPage,
        },
      },
    };
  });

  router.post(KEYS, (ctx) => {
    const body = ctx.body;
    if (!isRecord(body)) return mainApiError(422, "unprocessable_entity", "Request body must be a JSON object with name and publicKey");
    if (typeof body.name !== "string" || body.name.trim() === "") return mainApiError(422, "unprocessable_entity", "name: field required");
    if (typeof body.publicKey !== "string") return mainApiError(422, "unprocessable_entity", "publicKey: field required");
    let parsed: ParsedSshPublicKey;
    try {
      parsed = parseOpenSshPublicKey(body.publicKey);
    } catch (err) {
      if (!(err instanceof SshKeyFormatError)) throw err;
      return mainApiError(422, "unprocessable_entity", `publicKey: ${err.message}`);
    }
    const existing = [...state.sshKeys.values()].find((k) => k.keyText === parsed.keyText);
    if (existing) {
      if (state.duplicateKeyAnswer === "legacy200") return { status: 200, body: serializeSshKey(existing) };
      return mainApiError(409, "conflict", `SSH key already exists (fingerprint ${existing.fingerprint})`);
    }
    const record: SshKeyRecord = {
      id: state.newId(),
      seq: state.nextSeq(),
      name: body.name,
      publicKey: body.publicKey.trim(),
      algorithm: parsed.sshType,
      fingerprint: parsed.fingerprint,
      keyText: parsed.keyText,
    };
    state.sshKeys.set(record.id, record);
    state.counters.sshKeysCreated++;
    return { status: 200, body: serializeSshKey(record) };
  });

  router.delete(`${KEYS}/:ssh_key_id`, (ctx) => {
    const key = state.sshKeys.get(ctx.params.ssh_key_id);
    if (!key) return mainApiError(404, "not_found", "SSH key not found");
    state.sshKeys.delete(key.id);
    return { status: 200, body: serializeSshKey(key) };
  });

  router.post(`${KEYS}/delete`, (ctx) => {
    const ids = isRecord(ctx.body) && Array.isArray(ctx.body.ids) ? ctx.body.ids.filter((x): x is string => typeof x === "string") : undefined;
    if (!ids) return mainApiError(422, "unprocessable_entity", "ids: field required");
    const removed = ids.map((id) => state.sshKeys.get(id)).filter((k): k is SshKeyRecord => !!k);
    for (const k of removed) state.sshKeys.delete(k.id);
    return { status: 200, body: removed.map(serializeSshKey) };
  });
}
