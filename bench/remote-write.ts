// Remote write: what one flush costs per tenant on the CPU side — validate, split into requests of
// 2000 samples, encode (protobufjs Writer) and snappy-compress — for 100K counter series and 100K
// classic-histogram series (each _bucket{le}, _sum and _count its own series), with the generated
// protobufjs encoder on plain objects as the reference, and the bytes each sample costs on the wire.

import { WriteRequest, type WriteRequestProperties } from '../lib/proto/index.ts';
import { compress } from '../lib/remote-write/compress.ts';
import { encodeWriteRequest } from '../lib/remote-write/encode.ts';
import { splitRequests } from '../lib/remote-write/split.ts';
import { validateSeries } from '../lib/remote-write/validate.ts';
import type { CollectedSeries } from '../lib/series/collected.ts';
import { labelsFromRecord } from '../lib/series/labels.ts';
import { formatRate, measure, printTable } from './harness.ts';

const SERIES = 100_000;
const MAX_SAMPLES_PER_SEND = 2000;
const NOW = 1_700_000_000_000;
const BOUNDS = [
  '0.002',
  '0.004',
  '0.008',
  '0.016',
  '0.032',
  '0.064',
  '0.128',
  '0.256',
  '0.512',
  '1.024',
  '2.048',
  '4.096',
  '8.192',
  '16.384',
  '+Inf',
];
const KINDS = ['SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_INTERNAL'];

/** Span-metrics style labels for edge i (60 services x ~ operations), plus the external label. */
function baseLabels(i: number): Record<string, string> {
  return {
    __metrics_gen_instance: 'flusher-0',
    service: `service-${i % 60}`,
    span_name: `GET /api/v1/resource-${Math.floor(i / 60)}`,
    span_kind: KINDS[i % KINDS.length],
    status_code: i % 7 === 0 ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_UNSET',
  };
}

function counterSeries(): CollectedSeries[] {
  return Array.from({ length: SERIES }, (_, i) => ({
    labels: labelsFromRecord({ ...baseLabels(i), __name__: 'traces_spanmetrics_calls_total' }),
    samples: [{ value: 1 + (i % 977) * 3, timestampMs: NOW }],
    exemplars: [],
  }));
}

function classicHistogramSeries(): CollectedSeries[] {
  const out: CollectedSeries[] = [];
  for (let h = 0; out.length < SERIES; h++) {
    const labels = baseLabels(h);
    let cumulative = 0;
    for (let b = 0; b < BOUNDS.length && out.length < SERIES; b++) {
      cumulative += (h + b) % 5;
      out.push({
        labels: labelsFromRecord({ ...labels, __name__: 'traces_spanmetrics_latency_bucket', le: BOUNDS[b] }),
        samples: [{ value: cumulative, timestampMs: NOW }],
        // one bucket per histogram carries the latest exemplar, as Tempo's would
        exemplars:
          b === h % BOUNDS.length
            ? [{ labels: [{ name: 'traceID', value: traceId(h) }], value: 0.003 * (b + 1), timestampMs: NOW - 17 }]
            : [],
      });
    }
    if (out.length < SERIES) {
      out.push({
        labels: labelsFromRecord({ ...labels, __name__: 'traces_spanmetrics_latency_count' }),
        samples: [{ value: cumulative, timestampMs: NOW }],
        exemplars: [],
      });
    }
    if (out.length < SERIES) {
      out.push({
        labels: labelsFromRecord({ ...labels, __name__: 'traces_spanmetrics_latency_sum' }),
        samples: [{ value: cumulative * 0.0173, timestampMs: NOW }],
        exemplars: [],
      });
    }
  }
  return out;
}

function traceId(i: number): string {
  return ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(4);
}

/** The same requests as plain objects for the generated encoder (the reference). */
function asProperties(series: readonly CollectedSeries[]): WriteRequestProperties {
  return {
    timeseries: series.map((s) => ({
      labels: s.labels.filter((l) => l.value !== '').map((l) => ({ name: l.name, value: l.value })),
      samples: s.samples.map((x) => ({ value: x.value, timestamp: x.timestampMs })),
      exemplars: s.exemplars.map((e) => ({
        labels: e.labels.map((l) => ({ name: l.name, value: l.value })),
        value: e.value,
        timestamp: e.timestampMs,
      })),
    })),
  };
}

export function benchRemoteWrite(): void {
  console.log(
    `\n## remote write (${SERIES / 1000}K series per flush, requests of ${MAX_SAMPLES_PER_SEND} samples, series/s on one core)\n`,
  );
  const rows: string[][] = [];
  for (const [kind, series] of [
    ['counters', counterSeries()],
    ['classic histograms', classicHistogramSeries()],
  ] as const) {
    const requests = splitRequests(series, MAX_SAMPLES_PER_SEND);
    let wireBytes = 0;
    let samples = 0;
    let exemplars = 0;
    for (const r of requests) {
      wireBytes += compress(encodeWriteRequest(r)).length;
      for (const s of r) {
        samples += s.samples.length;
        exemplars += s.exemplars.length;
      }
    }
    const [encode, encodeCompress, full, generated] = measure([
      {
        name: 'encode',
        run: () => {
          for (const r of requests) encodeWriteRequest(r);
          return series.length;
        },
      },
      {
        name: 'encode+snappy',
        run: () => {
          for (const r of requests) compress(encodeWriteRequest(r));
          return series.length;
        },
      },
      {
        name: 'validate+split+encode+snappy',
        run: () => {
          const valid = series.filter((s) => validateSeries(s) === undefined);
          for (const r of splitRequests(valid, MAX_SAMPLES_PER_SEND)) compress(encodeWriteRequest(r));
          return series.length;
        },
      },
      {
        name: 'generated encode (reference)',
        run: () => {
          for (const r of requests) WriteRequest.encode(asProperties(r)).finish();
          return series.length;
        },
      },
    ]);
    rows.push([
      kind,
      formatRate(encode.rate),
      formatRate(encodeCompress.rate),
      formatRate(full.rate),
      formatRate(generated.rate),
      (wireBytes / samples).toFixed(1),
      `${(wireBytes / 1e6).toFixed(2)} MB`,
      String(exemplars),
    ]);
  }
  printTable(
    [
      'series',
      'encode',
      'encode+snappy',
      'validate+split+encode+snappy',
      'generated encode (ref.)',
      'wire bytes/sample',
      'wire bytes/flush',
      'exemplars',
    ],
    rows,
  );
}
