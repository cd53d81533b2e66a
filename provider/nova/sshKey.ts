import { adoptionMismatchError } from "../core/adoption";
import { mayAdoptIdentical } from "../core/adoptionLedger";
import { GpuCloudError, NotFoundError, QuotaError } from "../core/errors";
import { logProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { sshKeyFingerprint } from "../core/sshPublicKeyText";
import { novaClientFor, novaCloud } from "./client";
import { NovaSshKey } from "./schemas";
import { sshKeyInputs, SshKeyInputs } from "./inputs";
import { sshKeyOutputsOf } from "./outputs";
import { sshKeyRules } from "./rules";

const TYPE = "nova:SshKey";

/** Documented: at most 5 keys per account. */
export const MAX_KEYS_PER_ACCOUNT = 5;

function keyLimitError(labels: string[], cloudWords?: string): QuotaError {
  const have = labels.length ? ` (the account has: ${labels.map((l) => JSON.stringify(l)).join(", ")})` : "";
  return new QuotaError(
    `Nova allows at most ${MAX_KEYS_PER_ACCOUNT} SSH keys per account${have}; delete one, or reuse an existing key's id as sshKeyId` +
      (cloudWords ? `. Nova said: ${cloudWords}` : ""),
    { cloud: "nova" },
  );
}

async function create(ctx: CallContext, inputs: SshKeyInputs) {
  const client = novaClientFor(ctx.settings);
  const fingerprint = sshKeyFingerprint(inputs.publicKey);
  const existing = await client.listSshKeys(); // inferred route; undefined when Nova has none
  // An earlier run uploaded this very key under this label: it is this resource's, unless a
  // resource records it (e.g. the key this create replaces).
  const same = existing?.find((k) => k.label === inputs.name && k.fingerprint === fingerprint && mayAdoptIdentical(ctx.adoption, k.id));
  if (same) {
    logProgress("info", `${TYPE} "${inputs.name}": adopting the identical key ${same.id} already in the account`);
    return { id: same.id, outs: sshKeyOutputsOf(inputs, same) };
  }
  if (existing && existing.length >= MAX_KEYS_PER_ACCOUNT) throw keyLimitError(existing.map((k) => k.label ?? k.id));
  let key: NovaSshKey;
  try {
    key = await client.createSshKey({ ssh_public_key: inputs.publicKey, label: inputs.name });
  } catch (err) {
    if (err instanceof QuotaError) throw keyLimitError((existing ?? []).map((k) => k.label ?? k.id), err.message);
    throw err;
  }
  return { id: key.id, outs: sshKeyOutputsOf(inputs, key) };
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const key = await novaClientFor(ctx.settings).getSshKey(id);
  if (!key) return {};
  const outs = sshKeyOutputsOf({}, key, props);
  if (key.label) outs.name = key.label;
  return { id, props: outs, inputs: declaredInputs(sshKeyInputs, { ...props, name: outs.name }) };
}

/** Every input replaces; update only refreshes (e.g. continuing after an interrupted run). */
async function update(ctx: CallContext, id: string, olds: Record<string, unknown>, news: SshKeyInputs) {
  const key = await novaClientFor(ctx.settings).getSshKey(id);
  if (!key) throw new GpuCloudError(`Nova SSH key ${id} no longer exists; run \`pulumi refresh\``, { cloud: "nova" });
  return sshKeyOutputsOf(news, key, olds);
}

async function destroy(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const res = await novaClientFor(ctx.settings).deleteSshKey(id);
  if (res === "unsupported") {
    // Blocking `pulumi destroy` forever would help nobody: say what is left behind.
    logProgress("warn", `${TYPE} "${String(props.name ?? id)}": Nova has no route to delete SSH keys; key ${id} stays in the account (it counts toward the ${MAX_KEYS_PER_ACCOUNT}-key limit)`);
  }
}

/** `adoptId`: take over a key already in the account; its fingerprint must match the declared key. */
async function adopt(ctx: CallContext, id: string, inputs: SshKeyInputs) {
  const key = await novaClientFor(ctx.settings).getSshKey(id);
  if (!key) throw new NotFoundError(`Nova has no SSH key ${id} to adopt`, { cloud: "nova" });
  const fingerprint = sshKeyFingerprint(inputs.publicKey);
  const mismatches = [
    ...(key.fingerprint && key.fingerprint !== fingerprint ? [{ field: "publicKey", actual: key.fingerprint, declared: fingerprint }] : []),
    ...(key.label && key.label !== inputs.name ? [{ field: "name", actual: key.label, declared: inputs.name }] : []),
  ];
  if (mismatches.length) throw adoptionMismatchError("nova", "Nova SSH key", id, mismatches);
  return { id, outs: sshKeyOutputsOf(inputs, key) };
}

export const novaSshKey = defineResource({
  type: TYPE,
  cloud: novaCloud,
  inputSchema: sshKeyInputs,
  rules: sshKeyRules,
  create,
  read,
  update,
  delete: destroy,
  adopt,
});
