import { createHash } from "crypto";

/** A reproducible stream of numbers in [0, 1) from any seed text (mulberry32). */
export class SeededRandom {
  private state: number;

  constructor(seed: string | number) {
    this.state = createHash("sha256").update(String(seed)).digest().readUInt32LE(0);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Another stream derived from this seed and a label, so adding draws in one place does not shift another. */
  fork(label: string): SeededRandom {
    return new SeededRandom(`${this.state}:${label}`);
  }
}
