/**
 * Emulated time. Durations inside an emulator are measured on an "emulated" time line that runs
 * `timeScale` times faster than the wall clock, so a 180 s provisioning takes 1 s at timeScale 180.
 * Timestamps shown to clients stay wall-clock; only durations shrink.
 *
 * The scale can change at runtime. Each change starts a new segment, so emulated time never jumps
 * and any emulated instant (past or future) can be mapped back to the wall clock.
 */

export type WallTimeSource = () => number;

export interface EmulatedClockOptions {
  /** Emulated seconds per real second (default 1). */
  timeScale?: number;
  /** Wall time source in epoch ms; inject a fake one in tests (default Date.now). */
  now?: WallTimeSource;
}

interface Segment {
  wallStart: number;
  emulatedStart: number;
  scale: number;
}

export class EmulatedClock {
  private readonly now: WallTimeSource;
  private readonly segments: Segment[];

  constructor(options: EmulatedClockOptions = {}) {
    this.now = options.now ?? Date.now;
    const scale = EmulatedClock.checkScale(options.timeScale ?? 1);
    const start = this.now();
    // Emulated time starts equal to wall time so emulated instants are recognisable epochs.
    this.segments = [{ wallStart: start, emulatedStart: start, scale }];
  }

  static checkScale(scale: number): number {
    if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
      throw new RangeError(`timeScale must be a finite number > 0, got ${String(scale)}`);
    }
    return scale;
  }

  get timeScale(): number {
    return this.current().scale;
  }

  setTimeScale(scale: number): void {
    EmulatedClock.checkScale(scale);
    const wall = this.now();
    this.segments.push({ wallStart: wall, emulatedStart: this.emulatedAt(wall), scale });
  }

  /** Real wall-clock epoch ms. */
  wallNow(): number {
    return this.now();
  }

  /** Current emulated instant (ms). */
  emulatedNow(): number {
    return this.emulatedAt(this.now());
  }

  /** Wall-clock ms at which emulated time reaches (or reached) `emulatedMs`. */
  wallAt(emulatedMs: number): number {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const seg = this.segments[i];
      if (emulatedMs >= seg.emulatedStart || i === 0) {
        return seg.wallStart + (emulatedMs - seg.emulatedStart) / seg.scale;
      }
    }
    /* istanbul ignore next -- the loop always returns at i === 0 */
    return this.now();
  }

  /** Real milliseconds from now until emulated time reaches `emulatedMs` (0 if already past). */
  realMsUntil(emulatedMs: number): number {
    return Math.max(0, this.wallAt(emulatedMs) - this.now());
  }

  private emulatedAt(wall: number): number {
    const seg = this.current();
    return seg.emulatedStart + (wall - seg.wallStart) * seg.scale;
  }

  private current(): Segment {
    return this.segments[this.segments.length - 1];
  }
}
