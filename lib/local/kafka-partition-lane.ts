// One partition's batches between "fetched" and "committed": they are worked off strictly in
// arrival order, one step at a time, and what queued while a step ran goes into the next step
// together (bigger steps under load instead of more of them), up to half the capacity. At most
// `capacity.items` items and about `capacity.bytes` bytes are held (queued or in the running step);
// a producer waits for room, which bounds the memory a fast fetcher can pile up in front of a slow
// ingest (one item bigger than the byte capacity still passes, alone). The half: a step holding
// the whole capacity would stop fetching until it ends, and the next step would then start with
// the one batch fetched since (steps alternating 1, 3, 1, 3 with a capacity of 4, each paying the
// per-call cost); with at most half in a step, the other half is fetched while it runs.

export interface LaneCapacity {
  readonly items: number;
  readonly bytes: number;
}

export class PartitionLane<T> {
  private queued: { item: T; bytes: number }[] = [];
  private held = 0;
  private heldBytes = 0;
  private draining: Promise<void> | undefined;
  private roomWaiters: (() => void)[] = [];
  private readonly maxStepItems: number;
  private readonly maxStepBytes: number;

  constructor(
    private readonly step: (items: T[]) => Promise<void>,
    private readonly capacity: LaneCapacity,
    private readonly weigh: (item: T) => number,
  ) {
    this.maxStepItems = Math.max(1, Math.ceil(capacity.items / 2));
    this.maxStepBytes = capacity.bytes / 2;
  }

  /** Items held (queued or in the running step) and their bytes. */
  get holding(): { items: number; bytes: number } {
    return { items: this.held, bytes: this.heldBytes };
  }

  /** Waits for room, then queues the item; false (nothing queued) once `stop` is aborted. */
  async push(item: T, stop: AbortSignal): Promise<boolean> {
    const bytes = this.weigh(item);
    while (this.held >= this.capacity.items || (this.held > 0 && this.heldBytes + bytes > this.capacity.bytes)) {
      if (stop.aborted) return false;
      // a listener per wait, removed afterwards: a long run waits for room once per batch
      let onAbort: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        onAbort = resolve;
        this.roomWaiters.push(resolve);
        stop.addEventListener('abort', onAbort, { once: true });
      });
      stop.removeEventListener('abort', onAbort!);
    }
    if (stop.aborted) return false;
    this.queued.push({ item, bytes });
    this.held++;
    this.heldBytes += bytes;
    this.draining ??= this.drain();
    return true;
  }

  /** Drops what is queued and not yet in a step (e.g. the partition's position became obsolete). */
  clear(): void {
    const dropped = this.queued;
    this.queued = [];
    this.release(dropped);
  }

  /** Resolves once no step runs and nothing is queued. */
  async whenIdle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const taken = this.queued.splice(0, this.stepLength());
        try {
          await this.step(taken.map((t) => t.item));
        } finally {
          this.release(taken);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** How many queued items the next step takes: at least one, within half the capacity. */
  private stepLength(): number {
    let n = 1;
    let bytes = this.queued[0].bytes;
    while (n < this.queued.length && n < this.maxStepItems && bytes + this.queued[n].bytes <= this.maxStepBytes)
      bytes += this.queued[n++].bytes;
    return n;
  }

  private release(items: readonly { bytes: number }[]): void {
    this.held -= items.length;
    for (const t of items) this.heldBytes -= t.bytes;
    for (const wake of this.roomWaiters.splice(0)) wake();
  }
}
