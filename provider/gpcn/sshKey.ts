import { normalizers } from "../core/diffRules";
import { GpuCloudError, NotFoundError } from "../core/errors";
import { adoptionMismatchError, Mismatch } from "../core/adoption";
import { mayAdoptIdentical } from "../core/adoptionLedger";
import { logProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { gpcnClientFor, gpcnCloud } from "./client";
import { sshKeyInputs, SshKeyInputs, crossCheckSshKey } from "./inputs";
import { sshKeyOutputsOf } from "./outputs";
import { sshKeyRules } from "./rules";

const TYPE = "gpcn:SshKey";

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
      return { id: existing.id, outs: sshKeyOutputsOf(inputs, existing) };
    }
  }
  const body = inputs.publicKey
    ? { name: inputs.name, type: "upload", publicKey: inputs.publicKey }
    : { name: inputs.name, type: "generate", algorithm: inputs.algorithm, ...(inputs.passphrase ? { passphrase: inputs.passphrase } : {}) };
  const created = await client.createSshKey(body);
  const key = await client.getSshKey(created.id);
  const outs = sshKeyOutputsOf(inputs, key ?? { id: created.id, name: inputs.name, publicKey: created.publicKey, fingerprint: created.fingerprint, algorithm: inputs.algorithm, createdAt: undefined });
  // GPCN returns a generated private key exactly once; it is a secret output (additionalSecretOutputs).
  if (created.privateKey) outs.privateKey = created.privateKey;
  return { id: created.id, outs };
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const key = await gpcnClientFor(ctx.settings).getSshKey(id);
  if (!key) return {};
  const outs = sshKeyOutputsOf({}, key, props);
  outs.name = key.name;
  return { id, props: outs, inputs: declaredInputs(sshKeyInputs, { ...props, name: key.name }) };
}

async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: SshKeyInputs) {
  const client = gpcnClientFor(ctx.settings);
  if (olds.name !== news.name) await client.renameSshKey(id, news.name);
  const key = await client.getSshKey(id);
  if (!key) throw new GpuCloudError(`GPCN SSH key ${id} no longer exists; run \`pulumi refresh\``, { cloud: "gpcn" });
  return sshKeyOutputsOf(news, key, olds);
}

async function destroy(ctx: CallContext, id: string) {
  await gpcnClientFor(ctx.settings).deleteSshKey(id);
}

/** `adoptId`: take over a key already in the library; its key material must be the declared one. */
async function adopt(ctx: CallContext, id: string, inputs: SshKeyInputs) {
  const client = gpcnClientFor(ctx.settings);
  const key = await client.getSshKey(id);
  if (!key) throw new NotFoundError(`GPCN has no SSH key ${id} to adopt`, { cloud: "gpcn" });
  const mismatches: Mismatch[] = [];
  if (inputs.publicKey && normalizers.sshPublicKey(key.publicKey) !== normalizers.sshPublicKey(inputs.publicKey)) {
    mismatches.push({ field: "publicKey", actual: key.publicKey, declared: inputs.publicKey });
  }
  if (inputs.algorithm && key.algorithm && key.algorithm !== inputs.algorithm) mismatches.push({ field: "algorithm", actual: key.algorithm, declared: inputs.algorithm });
  if (mismatches.length) throw adoptionMismatchError("gpcn", "GPCN SSH key", id, mismatches);
  if (key.name !== inputs.name) await client.renameSshKey(id, inputs.name);
  if (inputs.algorithm) logProgress("warn", `${TYPE} "${inputs.name}": adopted key ${id}; GPCN returns a private key only at generation, so privateKey stays empty`);
  return { id, outs: sshKeyOutputsOf(inputs, { ...key, name: inputs.name }) };
}

export const gpcnSshKey = defineResource({
  type: TYPE,
  cloud: gpcnCloud,
  inputSchema: sshKeyInputs,
  rules: sshKeyRules,
  crossCheck: crossCheckSshKey,

  create,
  read,
  update,
  delete: destroy,
  adopt,
});
