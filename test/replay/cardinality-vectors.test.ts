// Tempo 3's cardinality controls through `replay`. Each expectation is derived by hand from the
// Tempo source named in the test (span-metrics labels: service, span_kind, span_name, status_code).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { replay } from '../../lib/replay/replay.ts';
import { configYaml } from '../helpers/config-yaml.ts';
import { parseExposition, resourceSpans, span, tracesData } from '../helpers/otlp-json.ts';
import { queueDatabaseTrace } from '../processors/servicegraphs/fixtures.ts';

const config = (overrides: string, global = '') =>
  configYaml({
    processors: '[span-metrics]',
    processor: { span_metrics: 'histogram_buckets: [1]' },
    overrides,
    global,
  });

/** One span per name, in this order, all of service svc (CLIENT, status OK). */
function spans(...names: string[]): string {
  return tracesData(
    resourceSpans(
      { 'service.name': 'svc' },
      names.map((name) => span({ name })),
    ),
  );
}

function run(yaml: string, input: string): Map<string, number> {
  return parseExposition(replay(parseConfig(yaml), 'single-tenant', input));
}

const calls = (spanName: string, service = 'svc') =>
  `traces_spanmetrics_calls_total{service="${service}",span_kind="SPAN_KIND_CLIENT",span_name="${spanName}",status_code="STATUS_CODE_OK"}`;
const OVERFLOW = '{metric_overflow="true"}';

describe('span_name_sanitization (Tempo: registry/drain_sanitizer.go Sanitize, pkg/drain/drain.go Train)', () => {
  const names = ['GET /users/123', 'GET /users/456', 'GET /users/789', 'GET /cart'];

  test('enabled: a name keeps itself until a second name of its pattern arrives, then the template', () => {
    // drain.go: "GET /users/123" opens a cluster whose template is the name itself; "456" walks the
    // `<_>` branch (123 is data-like) to that cluster, similarity 6/7 >= 0.3, and position 5
    // becomes <_>; "789" matches the template. "GET /cart" has its own branch (cart is no data).
    const out = run(config('span_name_sanitization: enabled'), spans(...names));
    assert.equal(out.get(calls('GET /users/123')), 1);
    assert.equal(out.get(calls('GET /users/<_>')), 2);
    assert.equal(out.get(calls('GET /cart')), 1);
    assert.equal(out.get(calls('GET /users/456')), undefined);
    assert.equal(out.get(calls('GET /users/789')), undefined);
    assert.equal(
      out.get(
        'traces_spanmetrics_latency_count{service="svc",span_kind="SPAN_KIND_CLIENT",span_name="GET /users/<_>",status_code="STATUS_CODE_OK"}',
      ),
      2,
    );
  });

  test('dry_run: names are kept', () => {
    // drain_sanitizer.go: in dry_run the original labels are returned; only metrics record.
    const out = run(config('span_name_sanitization: dry_run'), spans(...names));
    for (const n of names) assert.equal(out.get(calls(n)), 1, n);
    assert.equal(out.get(calls('GET /users/<_>')), undefined);
  });

  test('off by default', () => {
    const out = run(config(''), spans(...names));
    for (const n of names) assert.equal(out.get(calls(n)), 1, n);
  });

  test('too few tokens: a one-word name is never rewritten', () => {
    // drain.go Train: fewer than MinTokens (3, counting <END>) returns no cluster.
    const out = run(config('span_name_sanitization: enabled'), spans('op1', 'op2', 'op3'));
    for (const n of ['op1', 'op2', 'op3']) assert.equal(out.get(calls(n)), 1, n);
  });

  test('target_info is built without the sanitizer (registry.go NewInfoMetricLabelBuilder)', () => {
    const yaml = config('span_name_sanitization: enabled').replace(
      'histogram_buckets: [1]',
      'histogram_buckets: [1]\n      enable_target_info: true',
    );
    const input = tracesData(
      resourceSpans({ 'service.name': 'svc', 'service.instance.id': 'i-1', build: '1234' }, [
        span({ name: 'GET /a/1' }),
      ]),
    );
    const out = run(yaml, input);
    assert.equal(out.get('traces_target_info{build="1234",instance="i-1",job="svc"}'), 1);
  });
});

describe('max_cardinality_per_label (Tempo: registry/per_label_limiter.go Limit)', () => {
  test('values of a label over the limit become __cardinality_overflow__, other labels kept', () => {
    // Each value goes into its label's estimate first; with 3 distinct span_name values against a
    // limit of 2 the third is replaced. service, span_kind and status_code have one value each.
    const out = run(config('max_cardinality_per_label: 2'), spans('op-a', 'op-b', 'op-c'));
    assert.equal(out.get(calls('op-a')), 1);
    assert.equal(out.get(calls('op-b')), 1);
    assert.equal(out.get(calls('op-c')), undefined);
    assert.equal(out.get(calls('__cardinality_overflow__')), 1);
    assert.equal(
      out.get(
        'traces_spanmetrics_latency_count{service="svc",span_kind="SPAN_KIND_CLIENT",span_name="__cardinality_overflow__",status_code="STATUS_CODE_OK"}',
      ),
      1,
    );
  });

  test('each label is limited on its own', () => {
    // Three services and two names: service (3 values) overflows for the third, span_name (2) never.
    const input = tracesData(
      resourceSpans({ 'service.name': 's1' }, [span({ name: 'op-a' })]),
      resourceSpans({ 'service.name': 's2' }, [span({ name: 'op-b' })]),
      resourceSpans({ 'service.name': 's3' }, [span({ name: 'op-a' })]),
    );
    const out = run(config('max_cardinality_per_label: 2'), input);
    assert.equal(out.get(calls('op-a', 's1')), 1);
    assert.equal(out.get(calls('op-b', 's2')), 1);
    assert.equal(out.get(calls('op-a', '__cardinality_overflow__')), 1);
  });

  test('service-graph labels are limited too (servicegraphs.go builds them with NewLabelBuilder)', () => {
    // Tempo's trace-with-queue-database fixture has 3 edges: 2 client values, 3 server values.
    const yaml = `
overrides:
  defaults:
    metrics_generator:
      processors: [service-graphs]
      max_cardinality_per_label: 2
`;
    const out = run(yaml, queueDatabaseTrace());
    const requests = [...out].filter(([k]) => k.startsWith('traces_service_graph_request_total{'));
    assert.equal(
      requests.reduce((sum, [, v]) => sum + v, 0),
      3,
    );
    assert.equal(requests.filter(([k]) => k.includes('server="__cardinality_overflow__"')).length, 1);
    assert.equal(requests.filter(([k]) => k.includes('client="__cardinality_overflow__"')).length, 0);
  });

  test('sanitization runs before the per-label limit (registry/builder.go CloseAndBuildLabels)', () => {
    // Sanitized, span_name has 2 values (the first raw name, then the template): under a limit of 2.
    const names = ['GET /users/123', 'GET /users/456', 'GET /users/789'];
    const sanitized = run(config('span_name_sanitization: enabled\nmax_cardinality_per_label: 2'), spans(...names));
    assert.equal(sanitized.get(calls('GET /users/<_>')), 2);
    assert.equal(sanitized.get(calls('__cardinality_overflow__')), undefined);
    // Without sanitization the third raw name is the third value.
    const raw = run(config('max_cardinality_per_label: 2'), spans(...names));
    assert.equal(raw.get(calls('__cardinality_overflow__')), 1);
  });
});

describe('limiter_type: entity (Tempo: localentitylimiter/local_entity_limiter.go OnAdd)', () => {
  test('an entity is a label set: all its metrics are admitted, new entities over the limit overflow', () => {
    // op-a and op-b are 2 entities, each with calls, latency (4 time series) and size: all admitted.
    // op-c is a third entity: its calls, latency and size go to the overflow series.
    const out = run(config('max_active_entities: 2', 'limiter_type: entity'), spans('op-a', 'op-b', 'op-c'));
    assert.equal(out.get(calls('op-a')), 1);
    assert.equal(out.get(calls('op-b')), 1);
    assert.equal(out.get(calls('op-c')), undefined);
    assert.equal(out.get(`traces_spanmetrics_calls_total${OVERFLOW}`), 1);
    assert.equal(out.get(`traces_spanmetrics_latency_count${OVERFLOW}`), 1);
    assert.ok((out.get(`traces_spanmetrics_size_total${OVERFLOW}`) ?? 0) > 0);
    assert.equal(
      out.get(
        'traces_spanmetrics_latency_count{service="svc",span_kind="SPAN_KIND_CLIENT",span_name="op-b",status_code="STATUS_CODE_OK"}',
      ),
      1,
    );
  });

  test('the series limiter counts time series instead (localserieslimiter/local_series_limiter.go OnAdd)', () => {
    // max_active_series 6: op-a's calls (1) + latency (_sum, _count, 2 buckets = 4) + size (1) = 6;
    // every series of op-b would pass 6 and overflows.
    const out = run(config('max_active_series: 6'), spans('op-a', 'op-b'));
    assert.equal(out.get(calls('op-a')), 1);
    assert.equal(out.get(calls('op-b')), undefined);
    assert.equal(out.get(`traces_spanmetrics_calls_total${OVERFLOW}`), 1);
  });

  test("each limiter ignores the other one's limit (instance.go picks one limiter)", () => {
    const entity = run(config('max_active_series: 1', 'limiter_type: entity'), spans('op-a', 'op-b'));
    assert.equal(entity.get(calls('op-b')), 1);
    const series = run(config('max_active_entities: 1'), spans('op-a', 'op-b'));
    assert.equal(series.get(calls('op-b')), 1);
  });
});
