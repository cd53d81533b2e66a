/**
 * Real SSH key pairs from node:crypto, with the private key in a form OpenSSH loads:
 * - ed25519: the `openssh-key-v1` container (BEGIN OPENSSH PRIVATE KEY), because OpenSSH cannot
 *   read PKCS#8 ed25519 keys. Unencrypted only: encrypting it needs bcrypt_pbkdf, which
 *   node:crypto lacks.
 * - rsa / ecdsa: traditional PEM (PKCS#1 / SEC1), or encrypted PKCS#8 PEM when a passphrase is
 *   given. Both node:crypto and OpenSSH read these.
 */

import { generateKeyPair, randomBytes, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { openSshPublicKeyText, sshFingerprint, sshPublicBlob } from "./sshPublicKey";
import { sshString, sshUint32 } from "./sshWire";

const generate = promisify(generateKeyPair);

export type SshKeyPairSpec = { kind: "ed25519" } | { kind: "rsa"; bits: number } | { kind: "ecdsa"; curve: "P-256" | "P-384" | "P-521" };

export interface SshKeyPairOptions {
  passphrase?: string;
  /** Written into the OpenSSH container (ed25519); not part of the returned public key. */
  comment?: string;
}

export interface GeneratedSshKeyPair {
  privateKey: string;
  /** `type base64`, no comment. */
  publicKey: string;
  fingerprint: string;
}

export class UnsupportedKeyOptionError extends Error {}

export async function generateSshKeyPair(spec: SshKeyPairSpec, options: SshKeyPairOptions = {}): Promise<GeneratedSshKeyPair> {
  if (spec.kind === "ed25519" && options.passphrase) {
    throw new UnsupportedKeyOptionError("Passphrase-protected ed25519 keys are not supported by this emulator");
  }
  const { privateKey, publicKey } =
    spec.kind === "ed25519"
      ? await generate("ed25519")
      : spec.kind === "rsa"
        ? await generate("rsa", { modulusLength: spec.bits, publicExponent: 0x10001 })
        : await generate("ec", { namedCurve: spec.curve });
  return {
    privateKey: exportPrivate(spec, privateKey, options),
    publicKey: openSshPublicKeyText(publicKey),
    fingerprint: sshFingerprint(sshPublicBlob(publicKey)),
  };
}

function exportPrivate(spec: SshKeyPairSpec, key: KeyObject, options: SshKeyPairOptions): string {
  if (spec.kind === "ed25519") return openSshEd25519Container(key, options.comment ?? "");
  if (options.passphrase) {
    return key.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: options.passphrase }).toString();
  }
  return key.export({ type: spec.kind === "rsa" ? "pkcs1" : "sec1", format: "pem" }).toString();
}

/** Unencrypted `openssh-key-v1` private key, byte-compatible with `ssh-keygen -t ed25519 -N ''`. */
function openSshEd25519Container(privateKey: KeyObject, comment: string): string {
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d ?? "", "base64url");
  const pub = Buffer.from(jwk.x ?? "", "base64url");
  const publicBlob = sshPublicBlob(privateKey);
  const check = randomBytes(4).readUInt32BE(0);
  let section = Buffer.concat([
    sshUint32(check),
    sshUint32(check),
    sshString("ssh-ed25519"),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padLength = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    sshUint32(1),
    sshString(publicBlob),
    sshString(section),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
