// Runs local mode's ingest calls on their own, apart from folding and remote write: a slow or
// hanging remote-write endpoint must not hold spans back from the deltas table (and so from
// /metrics). Kafka batches are ingested as soon as ingest is free, so a partition advances at the
// speed of ingest rather than one fetch per batch window; whatever arrives while a call runs goes
// into the next one, so calls grow with load instead of multiplying. The receiver's records wait
// at most one batch window, like the event source's batching window.

import type { Logger } from '../log/logger.ts';
import type { IngestBatcher } from './ingest-batcher.ts';

export class IngestLoop {
  private running: Promise<void> | undefined;
  private windowTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly batcher: IngestBatcher,
    private readonly windowMs: number,
    private readonly log: Logger,
  ) {}

  /** Ingest as soon as possible (Kafka batches: their partition waits for the outcome). */
  now(): void {
    if (this.stopped || this.retryTimer !== undefined || this.running !== undefined) return;
    // Cleared in a callback, which runs after this assignment even when the loop finds nothing
    // queued and ends at once (clearing it inside the loop would then leave it set for good);
    // records queued between the loop's last look and that callback start the next run.
    const run = this.loop().finally(() => {
      if (this.running !== run) return;
      this.running = undefined;
      if (this.batcher.pending > 0) this.now();
    });
    this.running = run;
  }

  /** Ingest within one batch window (the receiver's records). */
  soon(): void {
    if (this.stopped || this.windowTimer !== undefined) return;
    this.windowTimer = setTimeout(() => {
      this.windowTimer = undefined;
      this.now();
    }, this.windowMs);
  }

  /** Stops scheduling and waits for the call in flight; `drain` then runs what is queued once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.windowTimer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.batcher.pending > 0) {
      try {
        await this.batcher.ingestQueued();
        this.failures = 0;
      } catch (e) {
        this.failures++;
        this.log.error('ingest failed: the receiver records stay queued; Kafka batches are retried', {
          queued: this.batcher.pending,
          attempt: this.failures,
          error: String(e),
        });
        // back off instead of spinning against a store that is down
        const delay = Math.min(100 * 2 ** (this.failures - 1), Math.max(this.windowMs, 1000));
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.now();
        }, delay);
        return;
      }
    }
  }
}
