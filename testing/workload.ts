// Synthetic span workloads for the benchmarks and the tests that measure cost: Kafka records of
// Tempo traces whose spans a caller-chosen function draws from a seeded generator, so the same
// arguments always give the same bytes, and label-set popularity can follow a Zipf law as real
// traffic does.

import { parseConfig } from '../lib/config/index.ts';
import type { Workload } from '../lib/cost/model.ts';
import type { KafkaEventRecord } from '../lib/ingest/msk-event.ts';
import {
  type Attributes,
  BASE_NS,
  buildResourceSpans,
  encodePushBytesRequest,
  encodeTempoTrace,
  type SpanSpec,
} from './build.ts';
import type { Rng } from './random-trace.ts';

/** The record timestamp of the workloads: just after the spans' start. */
export const WORKLOAD_NOW_MS = Number(BASE_NS / 1_000_000n) + 1000;

/** Span metrics with the defaults for every tenant. */
export const SPAN_METRICS_CONFIG = parseConfig(
  'overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}',
);

/** A Zipf (s = 1) sampler over n label sets: set i is drawn with probability proportional to 1/(i+1). */
export function zipf(n: number): (rng: Rng) => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / (i + 1);
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** One drawn span and the service that sent it. */
export interface DrawnSpan {
  readonly service: string;
  readonly span: SpanSpec;
}

export interface WorkloadBatch {
  readonly topic: string;
  readonly partition: number;
  /** The first record's offset; records take the offsets after it. */
  readonly firstOffset: number;
  readonly spans: number;
  readonly spansPerRecord: number;
  readonly rng: Rng;
  /** Draws the next span; called once per span, in order. */
  readonly draw: (rng: Rng) => DrawnSpan;
  readonly tenant?: string;
}

/** The batch's spans in records of `spansPerRecord`, one resource per service in the order first drawn. */
export function workloadRecords(batch: WorkloadBatch): KafkaEventRecord[] {
  const key = Buffer.from(batch.tenant ?? 'team-a').toString('base64');
  const out: KafkaEventRecord[] = [];
  for (let done = 0, r = 0; done < batch.spans; done += batch.spansPerRecord, r++) {
    const byService = new Map<string, SpanSpec[]>();
    for (let i = 0; i < Math.min(batch.spansPerRecord, batch.spans - done); i++) {
      const { service, span } = batch.draw(batch.rng);
      const list = byService.get(service) ?? [];
      list.push(span);
      byService.set(service, list);
    }
    const resources = [...byService].map(([service, spans]) =>
      buildResourceSpans({ resource: { 'service.name': service }, spans }),
    );
    const value = encodePushBytesRequest([encodeTempoTrace(...resources)]);
    out.push({
      topic: batch.topic,
      partition: batch.partition,
      offset: batch.firstOffset + r,
      timestamp: WORKLOAD_NOW_MS,
      key,
      value: Buffer.from(value).toString('base64'),
    });
  }
  return out;
}

/** The span attributes of the one-service workloads. */
export const GET: Attributes = { 'http.method': 'GET' };

/**
 * The span of label set `s` in the one-service workloads: operation `op-<s/2>`, status by the
 * parity of `s`, a server span lasting `durationNs`.
 */
export function labelSetSpan(s: number, durationNs: number, attributes: Attributes): SpanSpec {
  return { name: `op-${s >> 1}`, kind: 2, status: { code: s & 1 }, endNs: BASE_NS + BigInt(durationNs), attributes };
}

/**
 * The reference deployment the cost figures are quoted for: 20,000 spans/s over 4,000 label sets
 * with Zipf popularity, 12 partitions, a 5 s batching window, one tenant, the default memory sizes.
 */
export const REFERENCE_WORKLOAD: Workload = {
  spansPerSecond: 20_000,
  labelSets: 4000,
  partitions: 12,
  batchingWindowS: 5,
  tenants: 1,
  distribution: 'zipf',
  ingestMemoryMb: 1024,
  flushMemoryMb: 512,
};
