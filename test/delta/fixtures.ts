// Realistic deltas for delta codec tests and bench/delta-codec.ts (not a test file itself):
// span-metrics output for N label tuples (calls, latency histogram, size, one shared label array
// per tuple, as the processor emits them), with exemplars on the latency buckets.

import { newClassicIncrement, observeClassic } from '../../lib/series/classic-histogram.ts';
import { newNativeIncrement, observeNative, schemaForFactor } from '../../lib/series/native-histogram.ts';
import type { HistogramMode } from '../../lib/config/types.ts';
import type { HistogramIncrement, Label, SeriesIncrement } from '../../lib/series/types.ts';
import type { DeltaContent, TenantDelta } from '../../lib/delta/types.ts';
import type { EdgeHalf } from '../../lib/servicegraph-model/half.ts';
import { randomInt, seededRng, type Rng } from '../../testing/random-trace.ts';

/** Tempo's default span-metrics buckets: ExponentialBuckets(0.002, 2, 14). */
export const TEMPO_DEFAULT_BUCKETS: readonly number[] = Array.from({ length: 14 }, (_, i) => 0.002 * 2 ** i);

const KINDS = [
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const VERBS = ['GET', 'POST', 'PUT', 'DELETE'];
const NOUNS = [
  'orders',
  'users',
  'cart',
  'payments',
  'inventory',
  'shipping',
  'sessions',
  'products',
  'reviews',
  'search',
];

export interface SpanMetricsDeltaOptions {
  /** Distinct label tuples (each emits calls + latency + size). */
  readonly series: number;
  readonly seed?: number;
  readonly mode?: HistogramMode;
  readonly tenants?: number;
  /** Mean spans per tuple in the batch. */
  readonly spansPerSeries?: number;
}

export function spanMetricsDelta(opts: SpanMetricsDeltaOptions): DeltaContent {
  const rng = seededRng(opts.seed ?? 1);
  const tenantCount = opts.tenants ?? 1;
  const tenants: TenantDelta[] = [];
  let spans = 0;
  for (let t = 0; t < tenantCount; t++) {
    const increments: SeriesIncrement[] = [];
    const perTenant = Math.ceil(opts.series / tenantCount);
    const traceIds = Array.from({ length: Math.max(4, perTenant) }, () => hex(rng, 16));
    for (const labels of labelTuples(rng, perTenant)) {
      const n = 1 + Math.floor(-Math.log(1 - rng()) * ((opts.spansPerSeries ?? 5) - 1));
      spans += n;
      const latency = latencyHistogram(labels, opts.mode ?? 'classic');
      let size = 0;
      for (let i = 0; i < n; i++) {
        // as span durations arrive: whole nanoseconds, divided by 1e9 (SpanView.durationSeconds)
        const seconds = Math.round(Math.exp(Math.log(0.05) + gaussian(rng)) * 1e9 + 1000) / 1e9;
        const traceId = traceIds[randomInt(rng, traceIds.length)];
        if (latency.classic !== undefined) observeClassic(latency.classic, seconds, 1, traceId);
        if (latency.native !== undefined) observeNative(latency.native, seconds, 1, traceId);
        size += 200 + randomInt(rng, 4000);
      }
      increments.push({ type: 'counter', name: 'traces_spanmetrics_calls_total', labels, value: n });
      increments.push(latency);
      increments.push({ type: 'counter', name: 'traces_spanmetrics_size_total', labels, value: size });
    }
    tenants.push({ tenant: tenantCount === 1 ? 'single-tenant' : `tenant-${t}`, increments });
  }
  return {
    topic: 'tempo-ingest',
    partition: 7,
    firstOffset: 1_234_567,
    lastOffset: 1_234_567 + 499,
    minTimestampMs: 1_760_000_000_000,
    maxTimestampMs: 1_760_000_004_321,
    records: 500,
    spans,
    badRecords: {},
    spansDiscarded: {},
    tenants,
  };
}

function latencyHistogram(labels: readonly Label[], mode: HistogramMode): HistogramIncrement {
  const h: HistogramIncrement = { type: 'histogram', name: 'traces_spanmetrics_latency', labels };
  if (mode !== 'native') h.classic = newClassicIncrement(TEMPO_DEFAULT_BUCKETS);
  if (mode !== 'classic') h.native = newNativeIncrement(schemaForFactor(1.1));
  return h;
}

/** n distinct sorted label sets of Tempo's default span-metrics dimensions. */
function labelTuples(rng: Rng, n: number): (readonly Label[])[] {
  const seen = new Set<string>();
  const out: Label[][] = [];
  const services = Math.max(2, Math.ceil(n / 50));
  while (out.length < n) {
    const service = `service-${randomInt(rng, services)}`;
    const spanName = `${VERBS[randomInt(rng, VERBS.length)]} /api/v1/${NOUNS[randomInt(rng, NOUNS.length)]}/${randomInt(rng, Math.max(1, n / 40))}`;
    const kind = KINDS[Math.min(randomInt(rng, 8), KINDS.length - 1)];
    const status = STATUS[Math.min(randomInt(rng, 4), 2)];
    const key = `${service}|${spanName}|${kind}|${status}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([
      { name: 'service', value: service },
      { name: 'span_kind', value: kind },
      { name: 'span_name', value: spanName },
      { name: 'status_code', value: status },
    ]);
  }
  return out;
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function hex(rng: Rng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += randomInt(rng, 256).toString(16).padStart(2, '0');
  return s;
}

/** Naive JSON size (Maps as entry arrays): the baseline the codec must beat by far. */
export function jsonSize(content: DeltaContent): number {
  return Buffer.byteLength(JSON.stringify(content, (_k, v: unknown) => (v instanceof Map ? [...v] : v)));
}

// ---- small builders for hand-written cases ----

export function labels(record: Record<string, string>): Label[] {
  return Object.keys(record)
    .sort()
    .map((name) => ({ name, value: record[name] }));
}

/** A delta with the given tenants' increments and fixed header fields. */
export function deltaOf(tenants: Record<string, SeriesIncrement[]>, header: Partial<DeltaContent> = {}): DeltaContent {
  return {
    topic: 'traces',
    partition: 3,
    firstOffset: 100,
    lastOffset: 199,
    minTimestampMs: 1_700_000_000_000,
    maxTimestampMs: 1_700_000_001_000,
    records: 100,
    spans: 1234,
    badRecords: {},
    spansDiscarded: {},
    ...header,
    tenants: Object.entries(tenants).map(([tenant, increments]) => ({ tenant, increments })),
  };
}

/** A classic part in canonical form (exemplars as long as counts). */
export function classicPart(
  bounds: readonly number[],
  counts: number[],
  sum: number,
  exemplars: Record<number, { traceId: string; value: number }> = {},
): NonNullable<HistogramIncrement['classic']> {
  const ex = counts.map((_, i) => (exemplars[i] === undefined ? undefined : { ...exemplars[i] }));
  return { bounds, counts, sum, count: counts.reduce((a, b) => a + b, 0), exemplars: ex };
}

/** A native part; buckets as [index, count] pairs in any order. */
export function nativePart(
  schema: number,
  positive: [number, number][],
  negative: [number, number][] = [],
  extra: Partial<Omit<NonNullable<HistogramIncrement['native']>, 'positive' | 'negative'>> = {},
): NonNullable<HistogramIncrement['native']> {
  let count = 0;
  for (const [, c] of [...positive, ...negative]) count += c;
  const h: NonNullable<HistogramIncrement['native']> = {
    schema,
    zeroThreshold: 2 ** -128,
    zeroCount: 0,
    positive: new Map(positive),
    negative: new Map(negative),
    count,
    sum: 0,
  };
  return Object.assign(h, extra);
}

/**
 * A delta of service-graph halves and dropped sides as an ingest batch hands them over: `halves`
 * halves of random trace and span ids over a few services, with dimensions, and a tenth as many
 * dropped sides.
 */
export function serviceGraphHalvesDelta(halves: number, seed = 7): DeltaContent {
  const rng = seededRng(seed);
  const services = ['checkout', 'payments', 'cart', 'search', 'users', 'orders', 'shipping', 'frontend'];
  const key = (): Uint8Array => Uint8Array.from({ length: 24 }, () => randomInt(rng, 256));
  const edgeHalves: EdgeHalf[] = [];
  for (let i = 0; i < halves; i++) {
    const client = randomInt(rng, 2) === 0;
    const service = services[randomInt(rng, services.length)];
    edgeHalves.push({
      key: key(),
      traceIdLength: 16,
      side: client ? 0 : 1,
      arrivalMs: 1_760_000_000_000 + randomInt(rng, 60_000),
      connectionType: randomInt(rng, 3),
      spanKind: client ? 3 : 2,
      failed: randomInt(rng, 10) === 0,
      clientService: client ? service : '',
      serverService: client ? '' : service,
      clientLatencySec: client ? randomInt(rng, 1_000_000) / 1e6 : 0,
      serverLatencySec: client ? 0 : randomInt(rng, 1_000_000) / 1e6,
      clientEndHi: client ? 409_000_000 + randomInt(rng, 1000) : 0,
      clientEndLo: client ? randomInt(rng, 2 ** 32) : 0,
      serverStartHi: client ? 0 : 409_000_000 + randomInt(rng, 1000),
      serverStartLo: client ? 0 : randomInt(rng, 2 ** 32),
      dimensions: [`eu-west-${randomInt(rng, 3)}`, client ? '' : 'prod'],
      peerNode: client && randomInt(rng, 4) === 0 ? `${service}-db:5432` : '',
      multiplier: 1,
    });
  }
  const droppedSides = Array.from({ length: Math.ceil(halves / 10) }, () => ({
    key: key(),
    traceIdLength: 16,
    side: randomInt(rng, 2) as 0 | 1,
    arrivalMs: 1_760_000_000_000 + randomInt(rng, 60_000),
  }));
  return { ...deltaOf({}), tenants: [{ tenant: 'single-tenant', increments: [], edgeHalves, droppedSides }] };
}
