// One partition's batches between "fetched" and "committed": they are worked off strictly in
// arrival order, one step at a time, and what queued while a step ran goes into the next step
// together (bigger steps under load instead of more of them), up to half the capacity. At most
// `capacity` items are held (queued or in the running step); a producer waits for room, which
// bounds the memory a fast fetcher can pile up in front of a slow ingest. The half: a step holding
// the whole capacity would stop fetching until it ends, and the next step would then start with
// the one batch fetched since (steps alternating 1, 3, 1, 3 with a capacity of 4, each paying the
// per-call cost); with at most half in a step, the other half is fetched while it runs.

export class PartitionLane<T> {
  private queued: T[] = [];
  private held = 0;
  private draining: Promise<void> | undefined;
  private roomWaiters: (() => void)[] = [];

  private readonly maxStep: number;

  constructor(
    private readonly step: (items: T[]) => Promise<void>,
    private readonly capacity: number,
  ) {
    this.maxStep = Math.max(1, Math.ceil(capacity / 2));
  }

  /** Waits for room, then queues the item; false (nothing queued) once `stop` is aborted. */
  async push(item: T, stop: AbortSignal): Promise<boolean> {
    while (this.held >= this.capacity) {
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
    this.queued.push(item);
    this.held++;
    this.draining ??= this.drain();
    return true;
  }

  /** Drops what is queued and not yet in a step (e.g. the partition's position became obsolete). */
  clear(): void {
    this.release(this.queued.length);
    this.queued = [];
  }

  /** Resolves once no step runs and nothing is queued. */
  async whenIdle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const items = this.queued.splice(0, this.maxStep);
        try {
          await this.step(items);
        } finally {
          this.release(items.length);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  private release(n: number): void {
    this.held -= n;
    for (const wake of this.roomWaiters.splice(0)) wake();
  }
}
