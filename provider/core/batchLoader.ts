// Coalesces concurrent look-ups from many resources in one host process into few requests
// (64 VMs polling their jobs become one POST /resource/jobs of up to 50 ids).

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
  private timer: NodeJS.Timeout | undefined;
  batches = 0;

  constructor(private readonly opts: BatchLoaderOptions<K, V>) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.queue.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.queue.set(key, [{ resolve, reject }]);
      if (this.queue.size >= this.opts.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.opts.windowMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
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
