// Counters of what one ingest pass saw: Tempo's received/discarded counters plus bad records by
// reason. Plain numbers and maps so tests can read them and handlers can publish them.

import type { DiscardCounter } from '../processors/processor.ts';

/** One tenant's share of the received and discarded counts (Tempo labels them by tenant). */
export class TenantIngestStats implements DiscardCounter {
  spansReceived = 0;
  bytesReceived = 0;
  /** Keyed `reason|processor`, as IngestStats.spansDiscarded. */
  readonly spansDiscarded = new Map<string, number>();

  constructor(private readonly total: IngestStats) {}

  discard(reason: string, processor: string, spans: number): void {
    const key = `${reason}|${processor}`;
    this.spansDiscarded.set(key, (this.spansDiscarded.get(key) ?? 0) + spans);
    this.total.discard(reason, processor, spans);
  }
}

export class IngestStats implements DiscardCounter {
  records = 0;
  recordBytes = 0;
  traces = 0;
  /** Tempo's spans_received_total: every span, before the slack filter. */
  spansReceived = 0;
  /** Tempo's bytes_received_total: encoded size of each ResourceSpans. */
  bytesReceived = 0;
  /** Bad records (and malformed traces inside push-bytes records) by reason. */
  readonly badRecords = new Map<string, number>();
  /** Tempo's spans_discarded_total, keyed `reason|processor`. */
  readonly spansDiscarded = new Map<string, number>();
  /** Tempo's metrics_generation_skipped_processor_pushes_total. */
  skippedProcessorPushes = 0;
  /** The received and discarded counts per tenant (these totals include them). */
  readonly tenants = new Map<string, TenantIngestStats>();

  forTenant(tenant: string): TenantIngestStats {
    let t = this.tenants.get(tenant);
    if (t === undefined) {
      t = new TenantIngestStats(this);
      this.tenants.set(tenant, t);
    }
    return t;
  }

  discard(reason: string, processor: string, spans: number): void {
    const key = `${reason}|${processor}`;
    this.spansDiscarded.set(key, (this.spansDiscarded.get(key) ?? 0) + spans);
  }

  badRecord(reason: string): void {
    this.badRecords.set(reason, (this.badRecords.get(reason) ?? 0) + 1);
  }

  discarded(reason: string, processor: string): number {
    return this.spansDiscarded.get(`${reason}|${processor}`) ?? 0;
  }

  totalBadRecords(): number {
    let n = 0;
    for (const v of this.badRecords.values()) n += v;
    return n;
  }
}
