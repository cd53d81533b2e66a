/**
 * OpenSSH public keys (`ssh-ed25519 AAAA… comment`): parse and validate the text a user uploads,
 * render a node KeyObject in that form, and compute the `SHA256:` fingerprint exactly as
 * `ssh-keygen -lf` does (unpadded base64 of SHA-256 over the key blob).
 */

import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { sshMpint, sshString, SshWireReader } from "./sshWire";

export type SshKeyKind = "ed25519" | "rsa" | "ecdsa";

export interface ParsedSshPublicKey {
  kind: SshKeyKind;
  /** Wire type name, e.g. `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`. */
  sshType: string;
  /** RSA modulus bits, ECDSA curve bits, 256 for ed25519. */
  bits: number;
  blob: Buffer;
  comment: string;
  fingerprint: string;
  /** `type base64` without the comment. */
  keyText: string;
}

export class SshKeyFormatError extends Error {}

const curves: Record<string, { jwkCurve: string; bits: number; coordinateBytes: number }> = {
  nistp256: { jwkCurve: "P-256", bits: 256, coordinateBytes: 32 },
  nistp384: { jwkCurve: "P-384", bits: 384, coordinateBytes: 48 },
  nistp521: { jwkCurve: "P-521", bits: 521, coordinateBytes: 66 },
};

export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Parses one OpenSSH public key line; throws SshKeyFormatError with a user-facing reason. */
export function parseOpenSshPublicKey(text: string): ParsedSshPublicKey {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts[0] === "") throw new SshKeyFormatError("Public key must look like '<type> <base64> [comment]'");
  const [sshType, base64] = parts;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new SshKeyFormatError("Public key data is not valid base64");
  const blob = Buffer.from(base64, "base64");
  const reader = new SshWireReader(blob);
  let parsed: { kind: SshKeyKind; bits: number };
  try {
    const innerType = reader.readString().toString("utf8");
    if (innerType !== sshType) throw new SshKeyFormatError(`Key type '${sshType}' does not match key data ('${innerType}')`);
    parsed = readKeyBody(sshType, reader);
    if (!reader.atEnd()) throw new SshKeyFormatError("Trailing bytes after key data");
  } catch (err) {
    if (err instanceof SshKeyFormatError) throw err;
    throw new SshKeyFormatError(`Malformed public key: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    ...parsed,
    sshType,
    blob,
    comment: parts.slice(2).join(" "),
    fingerprint: sshFingerprint(blob),
    keyText: `${sshType} ${blob.toString("base64")}`,
  };
}

function readKeyBody(sshType: string, reader: SshWireReader): { kind: SshKeyKind; bits: number } {
  if (sshType === "ssh-ed25519") {
    const point = reader.readString();
    if (point.length !== 32) throw new SshKeyFormatError("Ed25519 public key must be 32 bytes");
    mustLoad({ kty: "OKP", crv: "Ed25519", x: point.toString("base64url") });
    return { kind: "ed25519", bits: 256 };
  }
  if (sshType === "ssh-rsa") {
    const e = reader.readMpint();
    const n = reader.readMpint();
    const bits = bitLength(n);
    if (bits < 2048) throw new SshKeyFormatError(`RSA keys must be at least 2048 bits (got ${bits})`);
    mustLoad({ kty: "RSA", n: n.toString("base64url"), e: e.toString("base64url") });
    return { kind: "rsa", bits };
  }
  const ecdsa = /^ecdsa-sha2-(nistp\d+)$/.exec(sshType);
  if (ecdsa && curves[ecdsa[1]]) {
    const curve = curves[ecdsa[1]];
    if (reader.readString().toString("utf8") !== ecdsa[1]) throw new SshKeyFormatError("ECDSA curve name mismatch");
    const q = reader.readString();
    if (q.length !== 1 + 2 * curve.coordinateBytes || q[0] !== 0x04) {
      throw new SshKeyFormatError("ECDSA point must be uncompressed");
    }
    const x = q.subarray(1, 1 + curve.coordinateBytes).toString("base64url");
    const y = q.subarray(1 + curve.coordinateBytes).toString("base64url");
    mustLoad({ kty: "EC", crv: curve.jwkCurve, x, y });
    return { kind: "ecdsa", bits: curve.bits };
  }
  throw new SshKeyFormatError(`Unsupported key type '${sshType}'`);
}

/** Lets node:crypto check the key math (point on curve, sane modulus). */
function mustLoad(jwk: Record<string, string>): void {
  try {
    createPublicKey({ key: jwk, format: "jwk" });
  } catch (err) {
    throw new SshKeyFormatError(`Invalid key material: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function bitLength(magnitude: Buffer): number {
  if (magnitude.length === 0) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]));
}

/** The SSH wire blob for a node public (or private) key. */
export function sshPublicBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  const b64 = (v: string | undefined) => Buffer.from(v ?? "", "base64url");
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return Buffer.concat([sshString("ssh-ed25519"), sshString(b64(jwk.x))]);
  if (jwk.kty === "RSA") return Buffer.concat([sshString("ssh-rsa"), sshMpint(b64(jwk.e)), sshMpint(b64(jwk.n))]);
  if (jwk.kty === "EC") {
    const name = Object.keys(curves).find((n) => curves[n].jwkCurve === jwk.crv);
    if (!name) throw new Error(`Unsupported EC curve ${String(jwk.crv)}`);
    const point = Buffer.concat([Buffer.from([0x04]), b64(jwk.x), b64(jwk.y)]);
    return Buffer.concat([sshString(`ecdsa-sha2-${name}`), sshString(name), sshString(point)]);
  }
  throw new Error(`Unsupported key type ${String(jwk.kty)}`);
}

/** `ssh-ed25519 AAAA…` (plus ` comment` when given). */
export function openSshPublicKeyText(key: KeyObject, comment?: string): string {
  const blob = sshPublicBlob(key);
  const type = new SshWireReader(blob).readString().toString("utf8");
  return `${type} ${blob.toString("base64")}${comment ? ` ${comment}` : ""}`;
}
