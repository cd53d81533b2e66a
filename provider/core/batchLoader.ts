import { systemClock } from "./clock";

// Coalesces concurrent look-ups from many resources in one host process into few requests
// (64 VMs polling their jobs become one POST /resource/jobs of up to 50 ids). The wait for company
// goes through the provider's clock like every other wait (looked up at each call, so the bench's
// time warp and tests' fake timers apply).

export interface BatchLoaderOptions<K, V> {
  maxBatch: number;
  /** How long the first key waits for company. */
  windowMs: number;
  load(keys: K[]): Promise<Map<K, V | undefined>>;
}

interface Pending<V> {
  resolve(v: V | undefined): void;
  reject(e: unknown): void;
}

export class BatchLoader<K, V> {
  private queue = new Map<K, Pending<V>[]>();
  /** A wait for company is running; `round` tells it whether a full batch flushed meanwhile. */
  private armed = false;
  private round = 0;
  batches = 0;

  constructor(private readonly opts: BatchLoaderOptions<K, V>) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.queue.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.queue.set(key, [{ resolve, reject }]);
      if (this.queue.size >= this.opts.maxBatch) this.flush();
      else if (!this.armed) {
        this.armed = true;
        const round = this.round;
        void systemClock.sleep(this.opts.windowMs).then(() => {
          if (this.round === round) this.flush();
        });
      }
    });
  }

  private flush(): void {
    this.round++;
    this.armed = false;
    const batch = this.queue;
    this.queue = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.opts.maxBatch) {
      const chunk = keys.slice(i, i + this.opts.maxBatch);
      this.batches++;
      // A load that throws synchronously must still reach its callers.
      Promise.resolve().then(() => this.opts.load(chunk)).then(
        (found) => chunk.forEach((k) => batch.get(k)!.forEach((p) => p.resolve(found.get(k)))),
        (err) => chunk.forEach((k) => batch.get(k)!.forEach((p) => p.reject(err))),
      );
    }
  }
}
