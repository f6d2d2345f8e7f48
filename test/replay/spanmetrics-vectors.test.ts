// The span-metrics test vectors of Tempo's own tests
// (modules/generator/processor/spanmetrics/spanmetrics_test.go), through `replay`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { replay } from '../../lib/replay/replay.ts';
import { configYaml } from '../helpers/config-yaml.ts';
import { makeBatch, parseExposition, resourceSpans, span, tracesData } from '../helpers/otlp-json.ts';

function run(yaml: string, input: string, tenant = 'single-tenant'): Map<string, number> {
  return parseExposition(replay(parseConfig(yaml), tenant, input));
}

const withSpanMetrics = (spanMetrics: string, overrides = '') =>
  configYaml({ processors: '[span-metrics]', processor: { span_metrics: spanMetrics }, overrides });

const TV1_LABELS = 'service="test-service",span_kind="SPAN_KIND_CLIENT",span_name="test",status_code="STATUS_CODE_OK"';

describe('Tempo span-metrics vectors', () => {
  test('TV1 defaults: calls, inclusive le buckets, count and sum', () => {
    const out = run(withSpanMetrics('histogram_buckets: [0.5, 1]'), makeBatch(10));
    assert.equal(out.get(`traces_spanmetrics_calls_total{${TV1_LABELS}}`), 10);
    assert.equal(out.get(`traces_spanmetrics_latency_bucket{le="0.5",${TV1_LABELS}}`), 0);
    assert.equal(out.get(`traces_spanmetrics_latency_bucket{le="1",${TV1_LABELS}}`), 10);
    assert.equal(out.get(`traces_spanmetrics_latency_bucket{le="+Inf",${TV1_LABELS}}`), 10);
    assert.equal(out.get(`traces_spanmetrics_latency_count{${TV1_LABELS}}`), 10);
    assert.equal(out.get(`traces_spanmetrics_latency_sum{${TV1_LABELS}}`), 10);
    assert.ok((out.get(`traces_spanmetrics_size_total{${TV1_LABELS}}`) ?? 0) > 0);
  });

  test('TV2 label collisions get the __ prefix even with the intrinsic disabled', () => {
    const cfg = withSpanMetrics('dimensions: ["span.kind", "span_name"]\nintrinsic_dimensions: {span_kind: false}');
    const out = run(cfg, makeBatch(10, { attributes: { 'span.kind': 'colliding_kind', span_name: 'colliding_name' } }));
    assert.equal(
      out.get(
        'traces_spanmetrics_calls_total{__span_kind="colliding_kind",__span_name="colliding_name",service="test-service",span_name="test",status_code="STATUS_CODE_OK"}',
      ),
      10,
    );
  });

  test('TV3 dimension_mappings join non-empty source values', () => {
    const cfg = withSpanMetrics(
      'intrinsic_dimensions: {span_kind: false, status_message: true}\ndimension_mappings: [{name: foo.bar, source_labels: [foo, bar], join: "/"}]',
    );
    const out = run(cfg, makeBatch(10, { attributes: { foo: 'foo-value', bar: 'bar-value' } }));
    const labels =
      'foo_bar="foo-value/bar-value",service="test-service",span_name="test",status_code="STATUS_CODE_OK",status_message="OK"';
    assert.equal(out.get(`traces_spanmetrics_calls_total{${labels}}`), 10);
    assert.equal(out.get(`traces_spanmetrics_latency_count{${labels}}`), 10);
    assert.equal(out.get(`traces_spanmetrics_latency_sum{${labels}}`), 10);
  });

  test('TV4 target_info with job and instance', () => {
    const resource = {
      'service.name': 'test-service',
      'service.instance.id': 'abc-instance-id-test-def',
      cluster: 'eu-west-0',
      ip: '1.1.1.1',
    };
    const out = run(withSpanMetrics('enable_target_info: true'), makeBatch(10, {}, resource));
    assert.equal(
      out.get(
        'traces_target_info{cluster="eu-west-0",instance="abc-instance-id-test-def",ip="1.1.1.1",job="test-service"}',
      ),
      1,
    );
    assert.equal(
      out.get(`traces_spanmetrics_calls_total{instance="abc-instance-id-test-def",job="test-service",${TV1_LABELS}}`),
      10,
    );
  });
});

describe('span-metrics options through replay', () => {
  test('no processors for the tenant means no metrics', () => {
    assert.equal(replay(parseConfig(''), 'single-tenant', makeBatch(3)), '');
  });

  test('custom dimension: resource wins over span, missing drops the label, non-string values stringify', () => {
    const cfg = withSpanMetrics('dimensions: [env, http.status_code, missing, flags, obj]');
    const input = tracesData(
      resourceSpans({ 'service.name': 'svc', env: 'prod' }, [
        span({
          attributes: {
            env: 'dev',
            'http.status_code': { int: 200 },
            flags: [true, 1.5, 'x'],
            obj: { kv: { a: { int: 1 }, b: 'c' } },
          },
        }),
      ]),
    );
    const out = run(cfg, input);
    assert.equal(
      out.get(
        'traces_spanmetrics_calls_total{env="prod",flags="[true1.5x]",http_status_code="200",obj="{a:1b:c}",service="svc",span_kind="SPAN_KIND_CLIENT",span_name="test",status_code="STATUS_CODE_OK"}',
      ),
      1,
    );
  });

  test('subprocessor selection: only span-metrics-count', () => {
    const cfg = withSpanMetrics('histogram_buckets: [1]').replace('[span-metrics]', '[span-metrics-count]');
    const names = [...run(cfg, makeBatch(2)).keys()].map((k) => k.slice(0, k.indexOf('{')));
    assert.deepEqual([...new Set(names)], ['traces_spanmetrics_calls_total']);
  });

  test('span_multiplier_key weights calls and latency but not size', () => {
    const plain = run(withSpanMetrics('histogram_buckets: [1]'), makeBatch(2));
    const out = run(
      withSpanMetrics('histogram_buckets: [1]\nspan_multiplier_key: sampling.ratio'),
      makeBatch(2, { attributes: { 'sampling.ratio': 0.25 } }),
    );
    const keyOf = (m: Map<string, number>, prefix: string) => [...m.keys()].find((k) => k.startsWith(prefix))!;
    assert.equal(out.get(keyOf(out, 'traces_spanmetrics_calls_total')), 8);
    assert.equal(out.get(keyOf(out, 'traces_spanmetrics_latency_count')), 8);
    assert.equal(out.get(keyOf(out, 'traces_spanmetrics_latency_sum')), 8);
    // the attribute makes the spans bigger, but size is never multiplied: 2 spans' bytes
    const size = out.get(keyOf(out, 'traces_spanmetrics_size_total'))!;
    assert.ok(size > plain.get(keyOf(plain, 'traces_spanmetrics_size_total'))! && size < 200, `size ${size}`);
  });

  test('an int ratio attribute is ignored (only double_value counts)', () => {
    const out = run(withSpanMetrics('span_multiplier_key: r'), makeBatch(2, { attributes: { r: { int: 1 } } }));
    assert.equal([...out].find(([k]) => k.startsWith('traces_spanmetrics_calls_total'))![1], 2);
  });

  test('enable_tracestate_span_multiplier reads the ot threshold', () => {
    const out = run(
      withSpanMetrics('enable_tracestate_span_multiplier: true'),
      makeBatch(3, { traceState: 'ot=th:c' }),
    );
    assert.equal([...out].find(([k]) => k.startsWith('traces_spanmetrics_calls_total'))![1], 12);
  });

  test('filter_policies drop spans before any metric', () => {
    const cfg = withSpanMetrics(`filter_policies:
  - include:
      match_type: strict
      attributes:
        - {key: kind, value: SPAN_KIND_SERVER}
  - exclude:
      match_type: regex
      attributes:
        - {key: span.http.url, value: "/health"}`);
    const input = tracesData(
      resourceSpans({ 'service.name': 'svc' }, [
        span({ name: 'a', kind: 2, attributes: { 'http.url': '/api' } }),
        span({ name: 'b', kind: 2, attributes: { 'http.url': '/healthz' } }),
        span({ name: 'c', kind: 3 }),
      ]),
    );
    const calls = [...run(cfg, input)].filter(([k]) => k.startsWith('traces_spanmetrics_calls_total'));
    assert.deepEqual(
      calls.map(([k]) => /span_name="(\w)"/.exec(k)![1]),
      ['a'],
    );
  });

  test('negative durations observe 0', () => {
    const out = run(withSpanMetrics('histogram_buckets: [0.001]'), makeBatch(1, { durationNs: -5_000_000n }));
    assert.equal([...out].find(([k]) => k.includes('_bucket') && k.includes('le="0.001"'))![1], 1);
    assert.equal([...out].find(([k]) => k.startsWith('traces_spanmetrics_latency_sum'))![1], 0);
  });

  test('status_message, span kinds and unknown enums', () => {
    const input = tracesData(
      resourceSpans({ 'service.name': 'svc' }, [span({ kind: 9, status: { code: 2, message: 'boom' } })]),
    );
    const out = run(withSpanMetrics('intrinsic_dimensions: {status_message: true}'), input);
    assert.ok(
      out.has(
        'traces_spanmetrics_calls_total{service="svc",span_kind="9",span_name="test",status_code="STATUS_CODE_ERROR",status_message="boom"}',
      ),
      [...out.keys()].join('\n'),
    );
  });

  test('external_labels and inject_tenant_id_as appear on every series', () => {
    const cfg = `
metrics_generator:
  registry:
    external_labels: {cluster: eu-1}
    inject_tenant_id_as: tenant
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics-count]
`;
    const out = run(cfg, makeBatch(1), 'team-a');
    assert.equal(out.get(`traces_spanmetrics_calls_total{cluster="eu-1",${TV1_LABELS},tenant="team-a"}`), 1);
  });

  test('max_active_series redirects new series to the overflow series', () => {
    const cfg = `
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics-count]
      max_active_series: 2
`;
    const input = tracesData(
      resourceSpans(
        { 'service.name': 'svc' },
        ['a', 'b', 'c', 'd', 'c'].map((name) => span({ name })),
      ),
    );
    const out = run(cfg, input);
    assert.equal(out.get('traces_spanmetrics_calls_total{metric_overflow="true"}'), 3);
    assert.equal([...out.keys()].length, 3);
  });

  test('label values are truncated to max_label_value_length', () => {
    const cfg = `
metrics_generator:
  registry: {max_label_value_length: 5}
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics-count]
`;
    const out = run(cfg, makeBatch(1, { name: 'abcdefghij' }));
    assert.ok(
      [...out.keys()].some((k) => k.includes('span_name="abcde"')),
      [...out.keys()].join('\n'),
    );
  });

  test('per-tenant override replaces defaults as a whole', () => {
    const cfg = `
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics]
  team-b:
    metrics_generator:
      processors: [span-metrics-size]
`;
    const names = (t: string) => new Set([...run(cfg, makeBatch(1), t).keys()].map((k) => k.slice(0, k.indexOf('{'))));
    assert.deepEqual([...names('team-b')], ['traces_spanmetrics_size_total']);
    assert.ok(names('team-a').has('traces_spanmetrics_latency_bucket'));
  });

  test('target_info: excluded dimensions, digit-first and service.* keys skipped, needs a non-identifying label', () => {
    const cfg = withSpanMetrics('enable_target_info: true\ntarget_info_excluded_dimensions: [secret]');
    const resource = {
      'service.name': 'svc',
      'service.namespace': 'ns',
      secret: 's',
      '9lives': 'x',
      'k8s.pod.name': 'pod-1',
      job: 'j',
    };
    const out = run(cfg, makeBatch(1, {}, resource));
    const info = [...out.keys()].filter((k) => k.startsWith('traces_target_info'));
    assert.deepEqual(info, ['traces_target_info{__job="j",job="ns/svc",k8s_pod_name="pod-1"}']);
    // only identifying labels: no target_info at all
    const none = run(cfg, makeBatch(1, {}, { 'service.name': 'svc', secret: 's' }));
    assert.equal([...none.keys()].filter((k) => k.startsWith('traces_target_info')).length, 0);
  });

  test('enable_instance_label: false drops instance from span metrics and target_info', () => {
    const cfg = withSpanMetrics('enable_target_info: true\nenable_instance_label: false');
    const out = run(cfg, makeBatch(1, {}, { 'service.name': 'svc', 'service.instance.id': 'i-1', zone: 'a' }));
    assert.ok(out.has('traces_target_info{job="svc",zone="a"}'), [...out.keys()].join('\n'));
    assert.ok([...out.keys()].every((k) => !k.includes('instance=')));
  });

  test('generate_native_histograms: native prints count and sum only; both adds classic buckets', () => {
    const native = run(withSpanMetrics('histogram_buckets: [1]', 'generate_native_histograms: native'), makeBatch(3));
    const names = (m: Map<string, number>) =>
      [...new Set([...m.keys()].filter((k) => k.includes('latency')).map((k) => k.slice(0, k.indexOf('{'))))].sort();
    assert.deepEqual(names(native), ['traces_spanmetrics_latency_count', 'traces_spanmetrics_latency_sum']);
    assert.equal(native.get(`traces_spanmetrics_latency_count{${TV1_LABELS}}`), 3);
    const both = run(withSpanMetrics('histogram_buckets: [1]', 'generate_native_histograms: both'), makeBatch(3));
    assert.deepEqual(names(both), [
      'traces_spanmetrics_latency_bucket',
      'traces_spanmetrics_latency_count',
      'traces_spanmetrics_latency_sum',
    ]);
    assert.equal(both.get(`traces_spanmetrics_latency_bucket{le="1",${TV1_LABELS}}`), 3);
  });

  test('native mode repeats an observation ceil(multiplier) times; classic weights it', () => {
    const input = makeBatch(1, { attributes: { r: 0.4 } }); // multiplier 2.5
    const classic = run(withSpanMetrics('span_multiplier_key: r'), input);
    const native = run(withSpanMetrics('span_multiplier_key: r', 'generate_native_histograms: native'), input);
    assert.equal(classic.get(`traces_spanmetrics_latency_count{${TV1_LABELS}}`), 2.5);
    assert.equal(native.get(`traces_spanmetrics_latency_count{${TV1_LABELS}}`), 3);
    assert.equal(native.get(`traces_spanmetrics_calls_total{${TV1_LABELS}}`), 2.5);
  });

  test('max_label_name_length truncates dimension label names', () => {
    const cfg = `
metrics_generator:
  registry: {max_label_name_length: 4}
  processor: {span_metrics: {dimensions: [region]}}
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics-count]
`;
    const out = run(cfg, makeBatch(1, { attributes: { region: 'eu' } }));
    assert.ok(
      [...out.keys()].some((k) => k.includes('regi="eu"')),
      [...out.keys()].join('\n'),
    );
  });

  test('a resource without service.name still counts, with no service label', () => {
    const out = run(withSpanMetrics(''), makeBatch(2, {}, { 'host.name': 'h' }));
    assert.equal(
      out.get(
        'traces_spanmetrics_calls_total{span_kind="SPAN_KIND_CLIENT",span_name="test",status_code="STATUS_CODE_OK"}',
      ),
      2,
    );
  });
});
