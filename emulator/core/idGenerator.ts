/** Id sources: random by default, reproducible when a seed is given. */

import { createHash, randomUUID } from "node:crypto";

export type IdGenerator = () => string;

/** Random v4 UUIDs, or a deterministic sequence of v4-shaped UUIDs derived from `seed`. */
export function createIdGenerator(seed?: string | number): IdGenerator {
  if (seed === undefined) return () => randomUUID();
  let counter = 0;
  return () => uuidFromBytes(createHash("sha256").update(`${String(seed)}:${counter++}`).digest());
}

/** The same UUID for the same name, forever: for catalog entries clients may hard-code. */
export function stableUuid(name: string): string {
  return uuidFromBytes(createHash("sha256").update(`stable:${name}`).digest());
}

function uuidFromBytes(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Hex ids of `length` characters (Novita's shape): a hash of the seed and a counter, reproducible
 * with a seed; without one, of a random source.
 */
export function createHexIdGenerator(seed?: string | number, length = 16): IdGenerator {
  let counter = 0;
  return () => {
    const source = seed === undefined ? `${Math.random()}:${Date.now()}` : `${String(seed)}`;
    return createHash("sha256").update(`${source}:${++counter}`).digest("hex").slice(0, length);
  };
}
