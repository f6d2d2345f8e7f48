// Remote write off local mode's fold loop: the flusher hands each tenant's collected series over
// and goes on; one queue per tenant sends them in order, so a hanging endpoint holds back only
// its own tenant's sends, never ingest, folding or /metrics. Each collection carries cumulative
// values, so when a tenant's endpoint falls far behind the oldest waiting collections are
// dropped (counted and logged): the next one that gets through brings the counters up to date.

import type { CollectedSeries } from '../series/collected.ts';
import type { Logger } from '../log/logger.ts';
import type { SeriesSender } from '../flush/flusher.ts';

const MAX_QUEUED_PER_TENANT = 8;

interface TenantQueue {
  readonly waiting: { series: readonly CollectedSeries[]; deadlineMs: number }[];
  sending: Promise<void> | undefined;
}

export class QueuedSender implements SeriesSender {
  private readonly queues = new Map<string, TenantQueue>();
  dropped = 0;

  constructor(
    private readonly target: SeriesSender,
    private readonly log: Logger,
  ) {}

  async send(tenant: string, series: readonly CollectedSeries[], deadlineMs: number): Promise<void> {
    let q = this.queues.get(tenant);
    if (q === undefined) this.queues.set(tenant, (q = { waiting: [], sending: undefined }));
    q.waiting.push({ series, deadlineMs });
    if (q.waiting.length > MAX_QUEUED_PER_TENANT) {
      q.waiting.shift();
      this.dropped++;
      this.log.warn(
        'remote write is falling behind: dropped the oldest waiting collection (the next one carries the same counters, newer)',
        { tenant, waiting: q.waiting.length },
      );
    }
    if (q.sending === undefined) q.sending = this.work(tenant, q);
  }

  /** Resolves when every queue is empty, or after `timeoutMs`; returns the collections still waiting. */
  async drain(timeoutMs: number): Promise<number> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const busy = [...this.queues.values()].filter((q) => q.sending !== undefined);
      if (busy.length === 0) return 0;
      const left = end - Date.now();
      if (left <= 0) return busy.reduce((n, q) => n + q.waiting.length + 1, 0);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(busy.map((q) => q.sending)), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
  }

  private async work(tenant: string, q: TenantQueue): Promise<void> {
    try {
      for (let next = q.waiting.shift(); next !== undefined; next = q.waiting.shift()) {
        try {
          await this.target.send(tenant, next.series, next.deadlineMs);
        } catch (e) {
          // the sender retried until the deadline; the cumulative state is unaffected
          this.log.error('remote write failed', { tenant, error: String(e) });
        }
      }
    } finally {
      q.sending = undefined;
    }
  }
}
