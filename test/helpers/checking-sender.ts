// A remote-write stand-in that checks what a real remote would reject: per series, timestamps
// only increase and counters never fall (Prometheus answers 400 to an out-of-order sample; a
// counter going down reads as a reset). It keeps the latest sample of every series.
import assert from 'node:assert/strict';
import type { SeriesSender } from '../../lib/flush/flusher.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';

/** Series whose value only grows: counters, and the count and buckets of histograms. */
const MONOTONIC = /_total|_count|_bucket/;

/** `tenant name=value,name=value`: readable in a failure message and searchable by fragment. */
export const seriesId = (tenant: string, s: CollectedSeries) =>
  tenant + ' ' + s.labels.map((l) => `${l.name}=${l.value}`).join(',');

export class CheckingSender implements SeriesSender {
  /** The latest sample per series id. */
  readonly last = new Map<string, { t: number; v: number }>();
  /** Every sample's timestamp, in the order sent. */
  readonly timestamps: number[] = [];
  requests = 0;

  async send(tenant: string, series: readonly CollectedSeries[]): Promise<void> {
    this.requests++;
    for (const s of series) {
      const id = seriesId(tenant, s);
      const points = [
        ...s.samples,
        ...(s.histograms ?? []).map((h) => ({ timestampMs: h.timestampMs, value: h.count })),
      ];
      for (const p of points) {
        const prev = this.last.get(id);
        assert.ok(
          prev === undefined || p.timestampMs > prev.t,
          `out of order: ${id} ${p.timestampMs} after ${prev?.t}`,
        );
        if (prev !== undefined && MONOTONIC.test(id) && !Number.isNaN(p.value) && !Number.isNaN(prev.v)) {
          assert.ok(p.value >= prev.v, `counter went backwards: ${id} ${prev.v} -> ${p.value}`);
        }
        this.last.set(id, { t: p.timestampMs, v: p.value });
        this.timestamps.push(p.timestampMs);
      }
    }
  }

  /** The sum of the latest values of every series whose id contains all `fragments`. */
  value(...fragments: string[]): number {
    let sum = 0;
    for (const [id, p] of this.last) if (fragments.every((f) => id.includes(f))) sum += p.v;
    return sum;
  }
}
