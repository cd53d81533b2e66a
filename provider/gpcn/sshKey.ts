import { z } from "zod";
import { ResourceRules, normalizers } from "../core/diffRules";
import { GpuCloudError, NotFoundError } from "../core/errors";
import { adoptionMismatchError, Mismatch } from "../core/adoption";
import { mayAdoptIdentical } from "../core/adoptionLedger";
import { logProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { gpcnClientFor, gpcnCloud } from "./client";
import { GpcnSshKey } from "./schemas";

const TYPE = "gpcn:SshKey";

export const OPENSSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;

export const sshKeyInputs = z.object({
  name: z.string().min(1).max(30),
  publicKey: z.string().trim().regex(OPENSSH_PUBLIC_KEY, "must be an OpenSSH public key such as 'ssh-ed25519 AAAA… comment'").optional(),
  algorithm: z.enum(["ed25519", "rsa-4096", "rsa-2048", "ecdsa-p256"]).optional(),
  passphrase: z.string().min(1).optional(),
});
export type SshKeyInputs = z.infer<typeof sshKeyInputs>;

export const sshKeyRules: ResourceRules = {
  type: TYPE,
  fields: {
    name: { change: "inPlace", via: "PUT /resource/ssh-keys/{id}", call: "updateSshKey" },
    publicKey: { change: "replace", why: "key material cannot change", normalize: normalizers.sshPublicKey, cloudDefault: true, doc: "upload mode" },
    algorithm: { change: "replace", why: "key material cannot change", cloudDefault: true, doc: "generate mode: GPCN creates the pair" },
    passphrase: { change: "replace", why: "the private key is encrypted with it at generation" },
  },
};

function outputsOf(inputs: Record<string, unknown>, key: GpcnSshKey | undefined, previous: Record<string, unknown> = {}) {
  const fromCloud = key ? { publicKey: key.publicKey, fingerprint: key.fingerprint, algorithm: key.algorithm } : {};
  const merged = { ...previous, ...fromCloud, ...declaredInputs(sshKeyInputs, inputs) };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined && v !== null));
}

async function create(ctx: CallContext, inputs: SshKeyInputs) {
  const client = gpcnClientFor(ctx.settings);
  if (inputs.publicKey) {
    // An upload is safe to adopt: the same name and key material mean the same key, unless a
    // resource records it (e.g. the key this create replaces).
    const wanted = normalizers.sshPublicKey(inputs.publicKey);
    const existing = (await client.listSshKeys()).find(
      (k) => k.name === inputs.name && normalizers.sshPublicKey(k.publicKey) === wanted && mayAdoptIdentical(ctx.adoption, k.id),
    );
    if (existing) {
      logProgress("info", `${TYPE} "${inputs.name}": adopting the identical key ${existing.id} already in the GPCN key library`);
      return { id: existing.id, outs: outputsOf(inputs, existing) };
    }
  }
  const body = inputs.publicKey
    ? { name: inputs.name, type: "upload", publicKey: inputs.publicKey }
    : { name: inputs.name, type: "generate", algorithm: inputs.algorithm, ...(inputs.passphrase ? { passphrase: inputs.passphrase } : {}) };
  const created = await client.createSshKey(body);
  const key = await client.getSshKey(created.id);
  const outs = outputsOf(inputs, key ?? { id: created.id, name: inputs.name, publicKey: created.publicKey, fingerprint: created.fingerprint, algorithm: inputs.algorithm, createdAt: undefined });
  // GPCN returns a generated private key exactly once; it is a secret output (additionalSecretOutputs).
  if (created.privateKey) outs.privateKey = created.privateKey;
  return { id: created.id, outs };
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const key = await gpcnClientFor(ctx.settings).getSshKey(id);
  if (!key) return {};
  const outs = outputsOf({}, key, props);
  outs.name = key.name;
  return { id, props: outs, inputs: declaredInputs(sshKeyInputs, { ...props, name: key.name }) };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: SshKeyInputs) {
  const client = gpcnClientFor(ctx.settings);
  if (olds.name !== news.name) await client.renameSshKey(id, news.name);
  const key = await client.getSshKey(id);
  if (!key) throw new GpuCloudError(`GPCN SSH key ${id} no longer exists; run \`pulumi refresh\``, { cloud: "GPCN" });
  return outputsOf(news, key, olds);
}

async function destroy(ctx: CallContext, id: string) {
  await gpcnClientFor(ctx.settings).deleteSshKey(id);
}

/** `adoptId`: take over a key already in the library; its key material must be the declared one. */
async function adopt(ctx: CallContext, id: string, inputs: SshKeyInputs) {
  const client = gpcnClientFor(ctx.settings);
  const key = await client.getSshKey(id);
  if (!key) throw new NotFoundError(`GPCN has no SSH key ${id} to adopt`, { cloud: "GPCN" });
  const mismatches: Mismatch[] = [];
  if (inputs.publicKey && normalizers.sshPublicKey(key.publicKey) !== normalizers.sshPublicKey(inputs.publicKey)) {
    mismatches.push({ field: "publicKey", actual: key.publicKey, declared: inputs.publicKey });
  }
  if (inputs.algorithm && key.algorithm && key.algorithm !== inputs.algorithm) mismatches.push({ field: "algorithm", actual: key.algorithm, declared: inputs.algorithm });
  if (mismatches.length) throw adoptionMismatchError("GPCN", "GPCN SSH key", id, mismatches);
  if (key.name !== inputs.name) await client.renameSshKey(id, inputs.name);
  if (inputs.algorithm) logProgress("warn", `${TYPE} "${inputs.name}": adopted key ${id}; GPCN returns a private key only at generation, so privateKey stays empty`);
  return { id, outs: outputsOf(inputs, { ...key, name: inputs.name }) };
}

export const gpcnSshKey = defineResource({
  type: TYPE,
  cloud: gpcnCloud,
  inputSchema: sshKeyInputs,
  rules: sshKeyRules,
  crossCheck: (i, known) => {
    if (!known("publicKey") || !known("algorithm")) return [];
    if (i.publicKey && i.algorithm) return [{ property: "algorithm", reason: "set either publicKey (upload) or algorithm (generate), not both" }];
    if (!i.publicKey && !i.algorithm) return [{ property: "publicKey", reason: "set publicKey to upload a key, or algorithm to have GPCN generate one" }];
    if (i.passphrase && !i.algorithm) return [{ property: "passphrase", reason: "only applies when GPCN generates the key (algorithm)" }];
    return [];
  },
  create,
  read,
  update,
  delete: destroy,
  adopt,
});
