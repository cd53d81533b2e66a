import { createHash } from "node:crypto";

// Facts about an OpenSSH public key line that a provider can check without the cloud: the
// `SHA256:` fingerprint (as `ssh-keygen -lf` prints it) and an RSA key's modulus size.

function blobOf(text: string): Buffer | undefined {
  const b64 = text.trim().split(/\s+/)[1];
  return b64 && /^[A-Za-z0-9+/]+={0,3}$/.test(b64) ? Buffer.from(b64, "base64") : undefined;
}

export function sshKeyFingerprint(text: string): string | undefined {
  const blob = blobOf(text);
  return blob && `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Modulus bits of an `ssh-rsa` key; undefined for other types or a malformed blob. */
export function rsaKeyBits(text: string): number | undefined {
  const blob = blobOf(text);
  if (!blob) return undefined;
  let at = 0;
  const field = (): Buffer | undefined => {
    if (at + 4 > blob.length) return undefined;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return undefined;
    const out = blob.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return out;
  };
  if (field()?.toString("utf8") !== "ssh-rsa") return undefined;
  if (!field()) return undefined; // public exponent
  let n = field();
  if (!n) return undefined;
  while (n.length && n[0] === 0) n = n.subarray(1); // mpint sign byte
  return n.length ? (n.length - 1) * 8 + (32 - Math.clz32(n[0])) : 0;
}
