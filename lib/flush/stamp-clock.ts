// Sample timestamps the flusher may use. Every timestamp it sends becomes a floor for the series
// (receivers reject older samples, and the saved state remembers the latest), so one run on a host
// whose clock is an hour ahead would stamp every later sample an hour ahead for the next hour. The
// flusher therefore checks its clock against an independent one (the store's: the Date header of
// DynamoDB's responses) and never stamps more than the tenant's ingestion slack ahead of it.

import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';

/** A tenant whose samples are stamped (tenant-instance.ts). */
export interface StampCapped {
  /** Caps its stamps at `referenceMs` plus its ingestion slack; returns the slack, undefined when it stamps nothing. */
  capStamps(referenceMs: number): number | undefined;
}

export class StampClock {
  private warned = false;

  constructor(
    private readonly reference: (() => number | undefined) | undefined,
    private readonly log: Logger,
    private readonly metrics: MetricsRecorder,
  ) {}

  /** The latest time a sample may carry: the wall clock, unless that is more than `leadMs` ahead of the reference. */
  bound(wallMs: number, leadMs: number): number {
    const ref = this.reference?.();
    return ref === undefined ? wallMs : Math.min(wallMs, ref + leadMs);
  }

  /** Sets every tenant's stamp ceiling for the coming collection; reports how far ahead this host's clock is. */
  limit(tenants: Iterable<StampCapped>, wallMs: number): void {
    const ref = this.reference?.();
    if (ref === undefined) return;
    const aheadMs = wallMs - ref;
    this.metrics.set('ClockAheadSeconds', Math.max(0, aheadMs) / 1000, 'Seconds');
    let capped = false;
    for (const tenant of tenants) {
      const slack = tenant.capStamps(ref);
      if (slack !== undefined && aheadMs > slack) capped = true;
    }
    if (capped && !this.warned) {
      this.warned = true;
      this.log.warn(
        'this host clock is ahead of the DynamoDB clock by more than the ingestion slack: sample timestamps are held back to the DynamoDB clock',
        {
          aheadSeconds: Math.round(aheadMs / 1000),
        },
      );
    }
  }
}
