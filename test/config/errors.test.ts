// Unknown keys and bad values are rejected with the dotted path of the offending key first.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../lib/config/index.ts';
import { assertConfigError, load } from './helpers.ts';

describe('unknown keys name their path', () => {
  const cases: [string, string][] = [
    ['metrics_generatr: {}', 'metrics_generatr: unknown key (did you mean metrics_generator?)'],
    ['overides: {}', 'overides: unknown key (did you mean overrides?)'],
    ['metrics_generator: {foo: 1}', 'metrics_generator.foo: unknown key'],
    ['metrics_generator: {registry: {foo: 1}}', 'metrics_generator.registry.foo: unknown key'],
    [
      'metrics_generator: {processor: {span_metrics: {foo: 1}}}',
      'metrics_generator.processor.span_metrics.foo: unknown key',
    ],
    [
      'metrics_generator: {processor: {span_metrics: {intrinsic_dimensions: {job: true}}}}',
      'metrics_generator.processor.span_metrics.intrinsic_dimensions.job: unknown key',
    ],
    [
      'metrics_generator: {processor: {local_block: {}}}',
      'metrics_generator.processor.local_block: unknown key (did you mean local_blocks?)',
    ],
    [
      'metrics_generator: {storage: {remote_write: [{url: "http://x", foo: 1}]}}',
      'metrics_generator.storage.remote_write[0].foo: unknown key',
    ],
    [
      'metrics_generator: {storage: {remote_write: [{url: "http://x", queue_config: {foo: 1}}]}}',
      'metrics_generator.storage.remote_write[0].queue_config.foo: unknown key',
    ],
    ['overrides: {tenant-a: {metrics_generator: {foo: 1}}}', 'overrides.tenant-a.metrics_generator.foo: unknown key'],
    ['overrides: {tenant-a: {foo: 1}}', 'overrides.tenant-a.foo: unknown key'],
    [
      'overrides: {defaults: {metrics_generator: {processor: {span_metrics: {foo: 1}}}}}',
      'overrides.defaults.metrics_generator.processor.span_metrics.foo: unknown key',
    ],
    [
      'overrides: {"*": {metrics_generator: {processor: {host_info: {foo: 1}}}}}',
      'overrides.*.metrics_generator.processor.host_info.foo: unknown key',
    ],
    [
      'overrides: {defaults: {metrics_generator: {processor: {span_metrics: {filter_policies: [{include: {match_type: strict, attributes: [{key: name, value: x, foo: 1}]}}]}}}}}',
      'overrides.defaults.metrics_generator.processor.span_metrics.filter_policies[0].include.attributes[0].foo: unknown key',
    ],
  ];
  for (const [text, prefix] of cases) test(prefix, () => assertConfigError(text, prefix));

  test('a near miss gets a suggestion', () => {
    assertConfigError(
      'metrics_generator: {registy: {}}',
      'metrics_generator.registy: unknown key',
      'did you mean registry?',
    );
  });

  test('a legacy flat key inside a scoped metrics_generator block says where flat keys go', () => {
    assertConfigError(
      'overrides: {defaults: {metrics_generator: {metrics_generator_processors: [span-metrics]}}}',
      'overrides.defaults.metrics_generator.metrics_generator_processors: unknown key (a legacy flat key inside a scoped block',
    );
  });
});

describe('bad values name their path', () => {
  const sm = (body: string) => `metrics_generator: {processor: {span_metrics: {${body}}}}`;
  const ov = (body: string) => `overrides: {defaults: {metrics_generator: {${body}}}}`;
  const cases: [string, string, string, string?][] = [
    [
      'repeated global bucket',
      sm('histogram_buckets: [0.5, 0.1, 0.5]'),
      'metrics_generator.processor.span_metrics.histogram_buckets[2]: repeats the bucket 0.5',
    ],
    [
      'non-increasing override buckets',
      ov('processor: {span_metrics: {histogram_buckets: [0.1, 0.5, 0.5]}}'),
      'overrides.defaults.metrics_generator.processor.span_metrics.histogram_buckets[2]: must be greater than the previous bucket',
    ],
    [
      'decreasing override buckets',
      ov('processor: {service_graphs: {histogram_buckets: [2, 1]}}'),
      'overrides.defaults.metrics_generator.processor.service_graphs.histogram_buckets[1]: must be greater than the previous bucket',
    ],
    [
      'bucket not a number',
      sm('histogram_buckets: [0.1, fast]'),
      'metrics_generator.processor.span_metrics.histogram_buckets[1]: must be a number',
    ],
    [
      'negative uint',
      ov('max_active_series: -1'),
      'overrides.defaults.metrics_generator.max_active_series: must be a non-negative integer',
    ],
    [
      'uint32 overflow',
      ov('max_active_series: 4294967296'),
      'overrides.defaults.metrics_generator.max_active_series: must be a non-negative integer between 0 and 4294967295',
    ],
    [
      'float for an int',
      ov('max_active_series: 1.5'),
      'overrides.defaults.metrics_generator.max_active_series: must be a non-negative integer',
    ],
    [
      'bad duration',
      'metrics_generator: {registry: {stale_duration: 15 minutes}}',
      'metrics_generator.registry.stale_duration: must be a duration',
    ],
    [
      'bare number duration',
      'metrics_generator: {registry: {collection_interval: 15}}',
      'metrics_generator.registry.collection_interval: must be a duration',
    ],
    [
      'zero collection interval',
      'metrics_generator: {registry: {collection_interval: 0s}}',
      'metrics_generator.registry.collection_interval: must be at least',
    ],
    [
      'collection_interval 10s',
      ov('collection_interval: 10s'),
      'overrides.defaults.metrics_generator.collection_interval: must be 0',
      '15s and 5m',
    ],
    [
      'collection_interval 6m',
      ov('collection_interval: 6m'),
      'overrides.defaults.metrics_generator.collection_interval: must be 0',
    ],
    [
      'slack over 12h',
      'metrics_generator: {metrics_ingestion_time_range_slack: 13h}',
      'metrics_generator.metrics_ingestion_time_range_slack: must be at most 12h0m0s',
    ],
    [
      'negative slack',
      ov('ingestion_time_range_slack: -1s'),
      'overrides.defaults.metrics_generator.ingestion_time_range_slack: must be at least 0s',
    ],
    ['bad codec', 'metrics_generator: {codec: json}', 'metrics_generator.codec: must be one of push-bytes, otlp'],
    [
      'bad histogram mode',
      ov('generate_native_histograms: exponential'),
      'overrides.defaults.metrics_generator.generate_native_histograms: must be one of',
    ],
    [
      'bucket factor not > 1',
      ov('native_histogram_bucket_factor: 1'),
      'overrides.defaults.metrics_generator.native_histogram_bucket_factor: must be greater than 1',
    ],
    [
      'bad trace id label',
      ov('trace_id_label_name: trace.id'),
      'overrides.defaults.metrics_generator.trace_id_label_name: "trace.id" is not a valid label name',
    ],
    [
      'bad host_info metric',
      'metrics_generator: {processor: {host_info: {metric_name: "host-info"}}}',
      'metrics_generator.processor.host_info.metric_name: "host-info" is not a valid label name',
    ],
    [
      'bad host_info metric override',
      ov('processor: {host_info: {metric_name: "1x"}}'),
      'overrides.defaults.metrics_generator.processor.host_info.metric_name: "1x" is not a valid label name',
    ],
    [
      'empty host identifiers',
      'metrics_generator: {processor: {host_info: {host_identifiers: []}}}',
      'metrics_generator.processor.host_info.host_identifiers: at least one host identifier is required',
    ],
    [
      'empty host identifiers override',
      ov('processor: {host_info: {host_identifiers: []}}'),
      'overrides.defaults.metrics_generator.processor.host_info.host_identifiers: at least one',
    ],
    [
      'bad external label name',
      'metrics_generator: {registry: {external_labels: {"a-b": x}}}',
      'metrics_generator.registry.external_labels.a-b: "a-b" is not a valid label name',
    ],
    [
      'bad inject_tenant_id_as',
      'metrics_generator: {registry: {inject_tenant_id_as: "tenant id"}}',
      'metrics_generator.registry.inject_tenant_id_as: "tenant id" is not a valid label name',
    ],
    [
      'zero label length',
      'metrics_generator: {registry: {max_label_name_length: 0}}',
      'metrics_generator.registry.max_label_name_length: must be a positive integer',
    ],
    [
      'unknown intrinsic override',
      ov('processor: {span_metrics: {intrinsic_dimensions: {job: true}}}'),
      'overrides.defaults.metrics_generator.processor.span_metrics.intrinsic_dimensions.job: not a valid intrinsic dimension',
    ],
    [
      'bool as string',
      sm('enable_target_info: "true"'),
      'metrics_generator.processor.span_metrics.enable_target_info: must be true or false',
    ],
    [
      'list for a string',
      ov('trace_id_label_name: [a]'),
      'overrides.defaults.metrics_generator.trace_id_label_name: must be a string, got a list',
    ],
    [
      'mapping for a list',
      ov('processors: {a: 1}'),
      'overrides.defaults.metrics_generator.processors: must be a list, got a mapping',
    ],
    [
      'null list item',
      sm('dimensions: [a, ~]'),
      'metrics_generator.processor.span_metrics.dimensions[1]: must be string, got null',
    ],
    [
      'empty dimension',
      sm('dimensions: [""]'),
      'metrics_generator.processor.span_metrics.dimensions[0]: must not be empty',
    ],
    [
      'bad limiter',
      'metrics_generator: {limiter_type: none}',
      'metrics_generator.limiter_type: must be one of series, entity',
    ],
    [
      'span_name_sanitization typo',
      ov('span_name_sanitization: on_please'),
      'overrides.defaults.metrics_generator.span_name_sanitization: must be one of',
    ],
    ['bad default tenant', 'metrics_generator: {default_tenant: "a b"}', 'metrics_generator.default_tenant: tenant ID'],
    [
      'bad tenant header',
      'metrics_generator: {tenant_header: "X Tenant"}',
      'metrics_generator.tenant_header: "X Tenant" is not a valid HTTP header name',
    ],
    ['bad tenant key', 'overrides: {"a b": {}}', 'overrides.a b: not a valid tenant ID'],
    ['entry not a mapping', 'overrides: {tenant-a: 5}', 'overrides.tenant-a: must be a mapping'],
    [
      'protocol header in remote_write_headers',
      ov('remote_write_headers: {Content-Type: x}'),
      'overrides.defaults.metrics_generator.remote_write_headers.Content-Type: this header is set by the remote-write protocol',
    ],
    [
      'user_configurable_overrides enabled',
      'overrides: {user_configurable_overrides: {enabled: true}}',
      'overrides.user_configurable_overrides: not supported',
    ],
    ['document not a mapping', '[1, 2]', 'the config must be a mapping'],
    ['metrics_generator not a mapping', 'metrics_generator: 5', 'metrics_generator: must be a mapping'],
  ];
  for (const [name, text, prefix, contains] of cases) test(name, () => assertConfigError(text, prefix, contains));

  test('limiter_type: series is accepted', () => {
    assert.doesNotThrow(() => load('metrics_generator: {limiter_type: series}'));
  });

  test('the "not set" values of unimplemented keys are accepted', () => {
    assert.doesNotThrow(() =>
      load('overrides: {defaults: {metrics_generator: {span_name_sanitization: "", max_cardinality_per_label: 0}}}'),
    );
  });
});

describe('dimension mappings', () => {
  const sm = (body: string) => `metrics_generator: {processor: {span_metrics: {${body}}}}`;
  test('empty name', () =>
    assertConfigError(
      sm('dimension_mappings: [{name: "", source_labels: [a]}]'),
      'metrics_generator.processor.span_metrics.dimension_mappings[0].name: must not be empty',
    ));
  test('missing name', () =>
    assertConfigError(
      sm('dimension_mappings: [{source_labels: [a]}]'),
      'metrics_generator.processor.span_metrics.dimension_mappings[0].name: must not be empty',
    ));
  test('empty source_labels', () =>
    assertConfigError(
      sm('dimension_mappings: [{name: x, source_labels: []}]'),
      'metrics_generator.processor.span_metrics.dimension_mappings[0].source_labels: must not be empty',
    ));
  test('collides with a dimension', () =>
    assertConfigError(
      sm('dimensions: [foo.bar], dimension_mappings: [{name: foo_bar, source_labels: [a]}]'),
      'metrics_generator.processor.span_metrics.dimension_mappings[0].name: mapping "foo_bar" produces label "foo_bar" which collides with dimension "foo.bar"',
    ));
  test('collides with another mapping', () =>
    assertConfigError(
      sm('dimension_mappings: [{name: a.b, source_labels: [a]}, {name: a-b, source_labels: [b]}]'),
      'metrics_generator.processor.span_metrics.dimension_mappings[1].name: mapping "a-b" produces label "a_b" which collides with dimension mapping "a.b"',
    ));
  test('a mapping named like an intrinsic is prefixed, so it does not collide', () => {
    assert.doesNotThrow(() => load(sm('dimension_mappings: [{name: service, source_labels: [a]}]')));
  });
  test('a mapping colliding with a prefixed dimension', () =>
    assertConfigError(
      sm('dimensions: [span.kind], dimension_mappings: [{name: span_kind, source_labels: [a]}]'),
      'metrics_generator.processor.span_metrics.dimension_mappings[0].name',
      'collides with dimension "span.kind"',
    ));
  test('dimensions may collide among themselves', () => {
    assert.doesNotThrow(() => load(sm('dimensions: [deployment.environment, deployment_environment]')));
  });
  test('a collision between a global dimension and an override mapping names the override key', () =>
    assertConfigError(
      `${sm('dimensions: [x.y]')}\noverrides: {tenant-a: {metrics_generator: {processor: {span_metrics: {dimension_mappings: [{name: x_y, source_labels: [a]}]}}}}}`,
      'overrides.tenant-a.metrics_generator.processor.span_metrics.dimension_mappings[0].name',
      'metrics_generator.processor.span_metrics.dimensions',
    ));
});

describe('error details', () => {
  test('ConfigError carries path, problem and source', () => {
    let e: unknown;
    try {
      parseConfig('metrics_generator: {codec: x}', { source: 'cfg.yaml' });
    } catch (err) {
      e = err;
    }
    assert.ok(e instanceof ConfigError);
    assert.equal(e.path, 'metrics_generator.codec');
    assert.match(e.problem, /^must be one of/);
    assert.equal(e.source, 'cfg.yaml');
    assert.match(e.message, /^metrics_generator\.codec: must be one of push-bytes, otlp, got "x" \(in cfg\.yaml\)$/);
  });

  test('duplicate keys and the misspelled alias together are rejected', () => {
    assertConfigError(
      'overrides: {defaults: {metrics_generator: {processor: {span_metrics: {dimension_mappings: [], dimension_mapings: []}}}}}',
      'overrides.defaults.metrics_generator.processor.span_metrics.dimension_mapings: duplicates',
    );
  });

  test('null values mean "not set"', () => {
    const t = load(
      'metrics_generator:\n  registry:\n    stale_duration:\noverrides:\n  defaults:\n    metrics_generator:\n      max_active_series: ~\n',
    ).tenant('t');
    assert.equal(t.registry.staleDurationMs, 15 * 60_000);
    assert.equal(t.registry.maxActiveSeries, 0);
  });
});
