import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../lib/config/index.ts';
import { TraceDecoder } from '../../../lib/decode/trace-decoder.ts';
import { IngestStats } from '../../../lib/pipeline/ingest-stats.ts';
import { SpanMetricsProcessor } from '../../../lib/processors/spanmetrics/processor.ts';
import type { HistogramIncrement, SeriesIncrement } from '../../../lib/series/types.ts';
import { buildResourceSpans, encodeTracesData, int, BASE_NS, type ResourceSpansSpec } from '../../../testing/build.ts';

function run(spanMetrics: string, ...resources: ResourceSpansSpec[]) {
  return runWith(spanMetrics, '', ...resources);
}

function runWith(spanMetrics: string, generatorOverrides: string, ...resources: ResourceSpansSpec[]) {
  const cfg = parseConfig(`
metrics_generator:
  processor:
    span_metrics:
${spanMetrics.replace(/^/gm, '      ')}
overrides: {defaults: {metrics_generator: {processors: [span-metrics]${generatorOverrides}}}}
`).tenant('t');
  const stats = new IngestStats();
  const p = new SpanMetricsProcessor(cfg, stats);
  p.pushTrace(new TraceDecoder().decode(encodeTracesData(...resources.map(buildResourceSpans))));
  const out: SeriesIncrement[] = [];
  p.drain(out);
  return { out, stats };
}

const names = (out: SeriesIncrement[]) =>
  out.map((i) => `${i.name}:${i.labels.find((l) => l.name === 'span_name')?.value ?? ''}`);

test('exemplars: only the most recent trace ID of the series goes into the delta, as lowercase hex', () => {
  const { out } = run('histogram_buckets: [0.5]', {
    spans: [
      { traceId: '00000000000000000000000000000001', endNs: BASE_NS + 100_000_000n },
      { traceId: '0000000000000000000000000000000a', endNs: BASE_NS + 200_000_000n },
      { traceId: '000000000000000000000000000000ff', endNs: BASE_NS + 2_000_000_000n },
    ],
  });
  const h = out.find((i) => i.type === 'histogram') as HistogramIncrement;
  assert.deepEqual(h.classic!.counts, [2, 1]);
  // a collection sends one exemplar per series anyway: the delta carries only the latest
  assert.deepEqual(
    h.classic!.exemplars.map((e) => e?.traceId),
    [undefined, '000000000000000000000000000000ff'],
  );
  assert.equal(h.classic!.exemplars[1]!.value, 2);
});

test('exemplars: in mode both the native part carries none (a collection sends the classic one)', () => {
  const { out } = runWith('histogram_buckets: [0.5]', ', generate_native_histograms: both', {
    spans: [{ traceId: '0000000000000000000000000000000a', endNs: BASE_NS + 200_000_000n }],
  });
  const h = out.find((i) => i.type === 'histogram') as HistogramIncrement;
  assert.equal(h.classic!.exemplars[0]!.traceId, '0000000000000000000000000000000a');
  assert.equal(h.native!.exemplar, undefined);
});

test('increments come out in first-seen order, target_info right after its resource first span', () => {
  const { out } = run('enable_target_info: true\nhistogram_buckets: [1]', {
    resource: { 'service.name': 's', zone: 'z' },
    spans: [{ name: 'a' }, { name: 'b' }],
  });
  assert.deepEqual(names(out), [
    'traces_spanmetrics_calls_total:a',
    'traces_spanmetrics_latency:a',
    'traces_spanmetrics_size_total:a',
    'traces_target_info:',
    'traces_spanmetrics_calls_total:b',
    'traces_spanmetrics_latency:b',
    'traces_spanmetrics_size_total:b',
  ]);
  assert.equal(out[3].type, 'gauge');
  assert.equal((out[3] as { mode: string }).mode, 'setIfAbsent');
});

test('filter policies: resource attributes, include_any, typed strict values; filtered spans counted', () => {
  const policies = `filter_policies:
  - include_any:
      match_type: strict
      attributes: [{key: span.code, value: 200}]
  - include_any:
      match_type: strict
      attributes: [{key: resource.tier, value: gold}]
  - include_any:
      match_type: strict
      attributes: [{key: span.code, value: 200}, {key: resource.tier, value: platinum}]
  - exclude:
      match_type: strict
      attributes: [{key: span.ratio, value: 0.5}]`;
  const { out, stats } = run(
    policies,
    {
      resource: { 'service.name': 's', tier: 'silver' },
      spans: [
        { name: 'int200', attributes: { code: int(200) } },
        { name: 'double200', attributes: { code: 200 } },
        { name: 'excluded', attributes: { code: int(200), ratio: 0.5 } },
      ],
    },
    {
      resource: { 'service.name': 's', tier: 'gold' },
      spans: [{ name: 'gold' }],
    },
  );
  const kept = new Set(names(out).map((n) => n.split(':')[1]));
  assert.deepEqual([...kept].sort(), ['gold', 'int200']);
  assert.equal(stats.discarded('span_metrics_filtered', 'span-metrics'), 2);
});

test('regex filters are unanchored and read only string values', () => {
  const { out } = run(
    `filter_policies: [{include: {match_type: regex, attributes: [{key: name, value: "api"}, {key: span.v, value: "^$"}]}}]`,
    {
      spans: [
        { name: 'GET /api/x', attributes: { v: int(5) } },
        { name: 'GET /api', attributes: { v: 'x' } },
        { name: 'other' },
      ],
    },
  );
  assert.deepEqual([...new Set(names(out).map((n) => n.split(':')[1]))], ['GET /api/x']);
});

test('repeated spans aggregate into one increment per series', () => {
  const { out } = run('histogram_buckets: [1]', { spans: Array.from({ length: 50 }, () => ({ name: 'x' })) });
  assert.equal(out.length, 3);
  assert.equal((out[0] as { value: number }).value, 50);
});
