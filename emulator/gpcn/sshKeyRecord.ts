/** SSH key library entries (API doc §8) and their wire form. */

import { ENTITY_ID } from "./catalog";

export interface SshKeyRecord {
  id: string;
  seq: number;
  name: string;
  publicKey: string;
  fingerprint: string;
  algorithm: string;
  createdAtWall: number;
  updatedAtWall: number;
}

export interface SshAlgorithm {
  code: string;
  displayName: string;
  description: string;
}

/** Algorithms offered by `generate` (GET /resource/ssh-keys/algorithms). */
export const generateAlgorithms: SshAlgorithm[] = [
  { code: "ed25519", displayName: "Ed25519", description: "Modern, fast and secure (recommended)" },
  { code: "rsa-4096", displayName: "RSA 4096", description: "RSA with a 4096-bit modulus, widely compatible" },
  { code: "rsa-2048", displayName: "RSA 2048", description: "RSA with a 2048-bit modulus, legacy compatibility" },
  { code: "ecdsa-p256", displayName: "ECDSA P-256", description: "Elliptic curve NIST P-256" },
];

/** Display name for any algorithm code, including upload-only ones like `rsa-3072` or `ecdsa-p384`. */
export function algorithmDisplayName(code: string): string {
  const known = generateAlgorithms.find((a) => a.code === code);
  if (known) return known.displayName;
  const rsa = /^rsa-(\d+)$/.exec(code);
  if (rsa) return `RSA ${rsa[1]}`;
  const ec = /^ecdsa-p(\d+)$/.exec(code);
  if (ec) return `ECDSA P-${ec[1]}`;
  return code;
}

export function serializeSshKey(key: SshKeyRecord) {
  return {
    id: key.id,
    entityId: ENTITY_ID,
    name: key.name,
    publicKey: key.publicKey,
    fingerprint: key.fingerprint,
    algorithm: key.algorithm,
    algorithmDisplayName: algorithmDisplayName(key.algorithm),
    isDefault: false,
    createdAt: new Date(key.createdAtWall).toISOString(),
    updatedAt: new Date(key.updatedAtWall).toISOString(),
    deletedAt: null,
  };
}

export type GpcnSshKey = ReturnType<typeof serializeSshKey>;
