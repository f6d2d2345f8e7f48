// Fixed deltas whose encoded bytes are pinned in golden-bytes.ts (not a test file itself): every
// record type and every optional part of the payload, so a codec change that alters one byte of
// what is stored fails golden.test.ts.

import type { DeltaContent } from '../../lib/delta/types.ts';
import type { SeriesIncrement } from '../../lib/series/types.ts';
import {
  classicPart,
  deltaOf,
  labels,
  nativePart,
  serviceGraphHalvesDelta,
  spanMetricsDelta,
  TEMPO_DEFAULT_BUCKETS,
} from './fixtures.ts';

const API = labels({ service: 'api', span_kind: 'SPAN_KIND_SERVER', span_name: 'GET /users' });
const DB = labels({ service: 'db-ü', span_kind: 'SPAN_KIND_CLIENT', span_name: 'SELECT \ud800' });

function everySeriesKind(): SeriesIncrement[] {
  return [
    { type: 'counter', name: 'calls_total', labels: API, value: 3 },
    { type: 'counter', name: 'calls_total', labels: DB, value: 0.5 },
    { type: 'counter', name: 'calls_total', labels: [], value: -0 },
    { type: 'gauge', name: 'info', labels: API, value: 1, mode: 'set' },
    { type: 'gauge', name: 'info', labels: DB, value: 1e300, mode: 'setIfAbsent' },
    {
      type: 'histogram',
      name: 'latency',
      labels: API,
      classic: classicPart([0.1, 0.5, 1], [1, 0, 2, 1], 2.345, {
        0: { traceId: '0af7651916cd43dd8448eb211c80319c', value: 0.05 },
        3: { traceId: 'not-hex', value: 7 },
      }),
    },
    {
      type: 'histogram',
      name: 'latency',
      labels: DB,
      classic: classicPart(TEMPO_DEFAULT_BUCKETS, Array(15).fill(0), Number.NaN),
      native: nativePart(3, [
        [-4, 2],
        [7, 1],
        [9, 3],
      ]),
    },
    {
      type: 'histogram',
      name: 'size',
      labels: API,
      native: nativePart(-1, [[2, 1]], [[0, 4]], {
        zeroThreshold: 0.001,
        zeroCount: 2,
        sum: -12.25,
        exemplar: { traceId: 'b7ad6b7169203331b7ad6b7169203331', value: 1.5 },
      }),
    },
  ];
}

/** Named fixed inputs, in the order golden-bytes.ts lists their bytes. */
export function goldenDeltas(): Record<string, DeltaContent> {
  const halves = serviceGraphHalvesDelta(12, 3);
  const mixed = deltaOf(
    { a: everySeriesKind(), 'tenant-b': [{ type: 'counter', name: 'calls_total', labels: API, value: 1 }] },
    {
      topic: 'tempo-ingest-μ',
      partition: 7,
      firstOffset: 2 ** 53 - 1,
      lastOffset: 2 ** 53 - 1,
      badRecords: { 'bad-tenant': 2, 'decode-error': 1 },
      spansDiscarded: { 'outside_metrics_ingestion_slack|all': 12, 'invalid_utf8|span-metrics': 0.5 },
    },
  );
  const withHalves: DeltaContent = {
    ...mixed,
    tenants: [
      {
        ...mixed.tenants[0],
        edgeHalves: halves.tenants[0].edgeHalves,
        droppedSides: halves.tenants[0].droppedSides,
        received: { spans: 40, bytes: 12_345, spansDiscarded: { 'service_graphs_filtered|service-graphs': 2 } },
      },
      { ...mixed.tenants[1], received: { spans: 1, bytes: 0, spansDiscarded: {} } },
    ],
  };
  return {
    empty: deltaOf({}),
    mixed,
    withHalves,
    spanMetricsBoth: spanMetricsDelta({ series: 12, mode: 'both', tenants: 2, seed: 5 }),
    halvesOnly: serviceGraphHalvesDelta(40, 11),
  };
}
