import { normalizers } from "../core/diffRules";
import { adoptionMismatchError } from "../core/adoption";
import { mayBeReplaced } from "../core/adoptionLedger";
import { ConflictError, GpuCloudError, NotFoundError } from "../core/errors";
import { logProgress } from "../core/progressLog";
import { CallContext, declaredInputs, defineResource } from "../core/resourceHandler";
import { FluenceClient, fluenceClientFor, fluenceCloud } from "./client";
import { FluenceSshKey } from "./schemas";
import { sshKeyInputs, SshKeyInputs } from "./inputs";
import { sshKeyOutputsOf } from "./outputs";
import { sshKeyRules } from "./rules";

const TYPE = "fluence:SshKey";

const sameKey = (a: string, b: string) => normalizers.sshPublicKey(a) === normalizers.sshPublicKey(b);

async function findByMaterial(client: FluenceClient, publicKey: string): Promise<FluenceSshKey | undefined> {
  return (await client.listSshKeys()).find((k) => sameKey(k.publicKey, publicKey));
}

/**
 * Another resource may share a key (Fluence keeps one copy of key material), but the key being
 * replaced is deleted by the engine right after: adopting it would leave the replacement without one.
 */
function heldByTheReplaced(what: string, existing: FluenceSshKey): ConflictError {
  return new ConflictError(
    `${what}: Fluence holds this key material already as key ${existing.id} ("${existing.name}"), which may be the key this create ` +
      "replaces (the engine deletes it next), and Fluence refuses a second copy. Set `deleteBeforeReplace: true` on this resource, " +
      "or use other key material.",
    { cloud: "fluence", code: "DUPLICATE_KEY" },
  );
}

/**
 * Fluence refuses a second copy of the same key material (409; the legacy API answered 200 with
 * the existing key, comment ignored): either way the existing key is adopted.
 */
async function create(ctx: CallContext, inputs: SshKeyInputs) {
  const client = fluenceClientFor(ctx.settings);
  const what = `${TYPE} "${inputs.name}"`;
  if (ctx.adoption.recordedResource) {
    // A replacement: the legacy API answers an upload of held material with the held key, which
    // cannot be told from a new one afterwards, so the key that may be the replaced one is looked
    // for first (with `pulumi up --replace` the engine does not say which key it replaces).
    const held = await findByMaterial(client, inputs.publicKey);
    if (held && mayBeReplaced(ctx.adoption, held.id)) throw heldByTheReplaced(what, held);
  }
  let key: FluenceSshKey;
  try {
    key = await client.createSshKey(inputs.name, inputs.publicKey);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const existing = await findByMaterial(client, inputs.publicKey);
    if (!existing) throw err;
    if (mayBeReplaced(ctx.adoption, existing.id)) throw heldByTheReplaced(what, existing);
    logProgress("info", `${what}: the key library already holds this key as "${existing.name}" (${existing.id}); adopting it`);
    return { id: existing.id, outs: sshKeyOutputsOf(inputs, existing) };
  }
  if (!sameKey(key.publicKey, inputs.publicKey)) {
    throw new GpuCloudError(`${what}: Fluence answered the upload with a different key (${key.id}); nothing was adopted`, { cloud: "fluence" });
  }
  // The legacy API answers a second copy with the existing key: it must not be the one being replaced.
  if (key.id === ctx.adoption.replacedId) throw heldByTheReplaced(what, key);
  if (key.name !== inputs.name) logProgress("info", `${what}: the key library already holds this key as "${key.name}" (${key.id}); adopting it`);
  return { id: key.id, outs: sshKeyOutputsOf(inputs, key) };
}

async function read(ctx: CallContext, id: string, props: Record<string, unknown>) {
  const key = await fluenceClientFor(ctx.settings).getSshKey(id);
  if (!key) return {};
  // No rename exists, so the library's name is reported (libraryName) but never fed back as an input:
  // an adopted key keeps the name it had, and that must not plan a replacement on every run.
  const outs = sshKeyOutputsOf(props, key);
  return { id, props: outs, inputs: declaredInputs(sshKeyInputs, outs) };
}

async function update(ctx: CallContext, id: string, _olds: Record<string, unknown>, news: SshKeyInputs) {
  // Every input replaces; only a change of the engine's own bookkeeping reaches here.
  const key = await fluenceClientFor(ctx.settings).getSshKey(id);
  if (!key) throw new GpuCloudError(`Fluence SSH key ${id} no longer exists; run \`pulumi refresh\``, { cloud: "fluence" });
  return sshKeyOutputsOf(news, key);
}

async function destroy(ctx: CallContext, id: string) {
  // Instances keep the key they were deployed with (documented), so deleting it is always safe.
  await fluenceClientFor(ctx.settings).deleteSshKey(id);
}

/**
 * `adoptId`: take over a key already in the library; its key material must be the declared one
 * (the only property a key has). The library has no rename, so a different library name is kept
 * and shown as `libraryName`, as when create finds the key already uploaded.
 */
async function adopt(ctx: CallContext, id: string, inputs: SshKeyInputs) {
  const key = await fluenceClientFor(ctx.settings).getSshKey(id);
  if (!key) throw new NotFoundError(`Fluence has no SSH key ${id} to adopt`, { cloud: "fluence" });
  if (!sameKey(key.publicKey, inputs.publicKey)) {
    throw adoptionMismatchError("fluence", "Fluence SSH key", id, [{ field: "publicKey", actual: key.publicKey, declared: inputs.publicKey }]);
  }
  if (key.name !== inputs.name) logProgress("info", `${TYPE} "${inputs.name}": adopted key ${id}; the library keeps its name "${key.name}" (Fluence has no rename)`);
  return { id, outs: sshKeyOutputsOf(inputs, key) };
}

export const fluenceSshKey = defineResource({
  type: TYPE,
  cloud: fluenceCloud,
  inputSchema: sshKeyInputs,
  rules: sshKeyRules,
  create,
  read,
  update,
  delete: destroy,
  adopt,
});
