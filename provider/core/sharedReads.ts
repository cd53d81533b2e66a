import { systemClock } from "./clock";

// Two more ways many resources in one host process share reads, besides batchLoader.ts (Nova uses
// them first). Their short waits for company go through the provider's clock, like every other
// wait of the provider.

/** Looked up at each call, so a clock swapped in later (tests, the bench's time warp) is used. */
const pause = (ms: number) => systemClock.sleep(ms);

interface Pending<V> {
  resolve(v: V | undefined): void;
  reject(e: unknown): void;
}

/**
 * Like BatchLoader, but batches run one after another: keys asked while a batch is in flight wait
 * for the next one, which starts when it is done. Every answer therefore comes from a read started
 * after the key was asked (never an older snapshot), and while reads queue behind a rate limit, every
 * waiter arriving meanwhile joins one batch instead of queueing a read of its own.
 */
export class SerialBatcher<K, V> {
  private next = new Map<K, Pending<V>[]>();
  private running = false;
  private scheduled = false;
  batches = 0;

  constructor(
    private readonly opts: {
      /** How long the first key of a batch waits for company. */
      windowMs: number;
      load(keys: K[]): Promise<Map<K, V | undefined>>;
    },
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.next.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.next.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.next.size === 0) return;
    this.scheduled = true;
    void pause(this.opts.windowMs).then(() => {
      this.scheduled = false;
      return this.run();
    });
  }

  private async run(): Promise<void> {
    const batch = this.next;
    this.next = new Map();
    this.running = true;
    this.batches++;
    try {
      // A load that throws synchronously must still reach its callers.
      const found = await Promise.resolve().then(() => this.opts.load([...batch.keys()]));
      for (const [k, waiting] of batch) waiting.forEach((p) => p.resolve(found.get(k)));
    } catch (err) {
      for (const waiting of batch.values()) waiting.forEach((p) => p.reject(err));
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}

/**
 * One read shared by everyone asking while it is pending (including once it has been sent): for
 * snapshots any recent answer serves, such as the offers a create picks its node from. Nothing is
 * kept once it has answered.
 */
export class SharedRead<T> {
  private pending: Promise<T> | undefined;
  reads = 0;

  constructor(
    private readonly windowMs: number,
    private readonly read: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    if (!this.pending) {
      const p = pause(this.windowMs).then(() => {
        this.reads++;
        return this.read();
      });
      const clear = () => {
        if (this.pending === p) this.pending = undefined;
      };
      p.then(clear, clear);
      this.pending = p;
    }
    return this.pending;
  }
}
