/** Keys in the account key library (main API `UserSshKey`, shared/api/fluence.md §10). */

export interface SshKeyRecord {
  id: string;
  seq: number;
  name: string;
  publicKey: string;
  algorithm: string;
  fingerprint: string;
  /** `type base64`, the part duplicates are detected on (the comment is ignored). */
  keyText: string;
}

export const USER_ID = "7d1c8a50-3f2e-4b6a-9c1d-0e5f4a3b2c10";

export function serializeSshKey(k: SshKeyRecord) {
  return { id: k.id, userId: USER_ID, name: k.name, publicKey: k.publicKey, algorithm: k.algorithm, fingerprint: k.fingerprint };
}

export type FluenceSshKey = ReturnType<typeof serializeSshKey>;
