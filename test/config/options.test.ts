// Every supported key reaches the resolved config: each row sets one key and reads it back, and
// checks the value differs from the default, so an ignored key fails its row.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GeneratorConfig } from '../../lib/config/index.ts';
import { load, withGlobal, withOverride } from './helpers.ts';

type Read = (c: GeneratorConfig) => unknown;

function check(
  name: string,
  make: () => GeneratorConfig,
  baseline: () => GeneratorConfig,
  read: Read,
  expected: unknown,
): void {
  test(name, () => {
    assert.deepEqual(read(make()), expected);
    assert.notDeepEqual(read(baseline()), expected, 'the expected value must differ from the default');
  });
}

const tenant = (c: GeneratorConfig) => c.tenant('t');
const sm = (c: GeneratorConfig) => tenant(c).spanMetrics!;
const sg = (c: GeneratorConfig) => tenant(c).serviceGraphs!;
const hi = (c: GeneratorConfig) => tenant(c).hostInfo!;
const policy = { include: { match_type: 'strict', attributes: [{ key: 'span.foo', value: 'bar' }] } };
const parsedPolicy = [
  { include: { matchType: 'strict', attributes: [{ key: 'span.foo', value: 'bar', isInt: false }] } },
];

type Row = readonly [key: string, value: unknown, read: Read, expected: unknown];
/** processor.service_graphs keys set the same way globally and per tenant. */
const SERVICE_GRAPH_ROWS: readonly Row[] = [
  ['histogram_buckets', [0.04], (c) => sg(c).histogramBuckets, [0.04]],
  ['dimensions', ['beast'], (c) => sg(c).dimensions, ['beast']],
  ['enable_client_server_prefix', true, (c) => sg(c).enableClientServerPrefix, true],
  ['enable_messaging_system_latency_histogram', true, (c) => sg(c).enableMessagingSystemLatencyHistogram, true],
  ['enable_virtual_node_label', true, (c) => sg(c).enableVirtualNodeLabel, true],
  ['peer_attributes', ['x.peer'], (c) => sg(c).peerAttributes, ['x.peer']],
  ['span_multiplier_key', 'ratio', (c) => sg(c).spanMultiplierKey, 'ratio'],
  ['enable_tracestate_span_multiplier', true, (c) => sg(c).enableTracestateSpanMultiplier, true],
  ['filter_policies', [policy], (c) => sg(c).filterPolicies, parsedPolicy],
];
/** processor.host_info keys, likewise. */
const HOST_INFO_ROWS: readonly Row[] = [
  ['host_identifiers', ['host.name'], (c) => hi(c).hostIdentifiers, ['host.name']],
  ['metric_name', 'my_host_info', (c) => hi(c).metricName, 'my_host_info'],
];

describe('global metrics_generator keys', () => {
  const g = (mg: object, read: Read, expected: unknown, name = Object.keys(mg)[0]) =>
    check(
      name,
      () => withGlobal(mg),
      () => withGlobal({}),
      read,
      expected,
    );

  g({ codec: 'otlp' }, (c) => c.codec, 'otlp');
  g({ tenant_header: 'X-Tenant' }, (c) => c.tenantHeader, 'X-Tenant');
  g({ default_tenant: 'acme' }, (c) => c.defaultTenant, 'acme');
  g({ metrics_ingestion_time_range_slack: '2m' }, (c) => tenant(c).ingestionSlackMs, 120_000);

  const r = (key: string, value: unknown, read: Read, expected: unknown) =>
    g({ registry: { [key]: value } }, read, expected, `registry.${key}`);
  r('collection_interval', '30s', (c) => tenant(c).registry.collectionIntervalMs, 30_000);
  r('stale_duration', '5m', (c) => tenant(c).registry.staleDurationMs, 300_000);
  r('external_labels', { cluster: 'eu' }, (c) => tenant(c).registry.externalLabels, { cluster: 'eu' });
  r('inject_tenant_id_as', 'tenant', (c) => tenant(c).registry.injectTenantIdAs, 'tenant');
  r('max_label_name_length', 10, (c) => tenant(c).registry.maxLabelNameLength, 10);
  r('max_label_value_length', 20, (c) => tenant(c).registry.maxLabelValueLength, 20);

  const s = (key: string, value: unknown, read: Read, expected: unknown) =>
    g({ processor: { span_metrics: { [key]: value } } }, read, expected, `processor.span_metrics.${key}`);
  s('histogram_buckets', [0.5, 1], (c) => sm(c).histogramBuckets, [0.5, 1]);
  s('intrinsic_dimensions', { status_message: true, service: false }, (c) => sm(c).intrinsicDimensions, {
    service: false,
    span_name: true,
    span_kind: true,
    status_code: true,
    status_message: true,
  });
  s('dimensions', ['env'], (c) => sm(c).dimensions, ['env']);
  s(
    'dimension_mappings',
    [{ name: 'foo.bar', source_labels: ['foo', 'bar'], join: '/' }],
    (c) => sm(c).dimensionMappings,
    [{ name: 'foo.bar', sourceLabels: ['foo', 'bar'], join: '/' }],
  );
  s('enable_target_info', true, (c) => sm(c).enableTargetInfo, true);
  s('target_info_excluded_dimensions', ['ip'], (c) => sm(c).targetInfoExcludedDimensions, ['ip']);
  s('enable_instance_label', false, (c) => sm(c).enableInstanceLabel, false);
  s('span_multiplier_key', 'ratio', (c) => sm(c).spanMultiplierKey, 'ratio');
  s('enable_tracestate_span_multiplier', true, (c) => sm(c).enableTracestateSpanMultiplier, true);
  s('filter_policies', [policy], (c) => sm(c).filterPolicies, parsedPolicy);

  const v = (key: string, value: unknown, read: Read, expected: unknown) =>
    g({ processor: { service_graphs: { [key]: value } } }, read, expected, `processor.service_graphs.${key}`);
  v('wait', '3s', (c) => sg(c).waitMs, 3000);
  v('max_items', 5, (c) => sg(c).maxItems, 5);
  v('database_name_attributes', ['db.x'], (c) => sg(c).databaseNameAttributes, ['db.x']);
  for (const row of SERVICE_GRAPH_ROWS) v(...row);

  for (const [key, value, read, expected] of HOST_INFO_ROWS)
    g({ processor: { host_info: { [key]: value } } }, read, expected, `processor.host_info.${key}`);

  g(
    { storage: { remote_write_add_org_id_header: false } },
    (c) => c.remoteWriteAddOrgIdHeader,
    false,
    'storage.remote_write_add_org_id_header',
  );
});

describe('storage.remote_write entry keys', () => {
  const url = 'https://prom.example/api/v1/write';
  const rw = (
    extra: object,
    read: (e: GeneratorConfig['remoteWrite'][number]) => unknown,
    expected: unknown,
    name: string,
  ) =>
    check(
      name,
      () => withGlobal({ storage: { remote_write: [{ url, ...extra }] } }),
      () => withGlobal({ storage: { remote_write: [{ url }] } }),
      (c) => read(c.remoteWrite[0]),
      expected,
    );
  check(
    'url',
    () => withGlobal({ storage: { remote_write: [{ url }] } }),
    () => withGlobal({}),
    (c) => c.remoteWrite[0]?.url,
    url,
  );
  rw({ name: 'main' }, (e) => e.name, 'main', 'name');
  rw({ headers: { 'X-Scope-OrgID': 'fixed' } }, (e) => e.headers, { 'X-Scope-OrgID': 'fixed' }, 'headers');
  rw(
    { basic_auth: { username: 'u', password: 'p' } },
    (e) => e.basicAuth,
    { username: 'u', password: 'p' },
    'basic_auth.password',
  );
  rw(
    { basic_auth: { username: 'u', password_file: '/s' } },
    (e) => e.basicAuth,
    { username: 'u', passwordFile: '/s' },
    'basic_auth.password_file',
  );
  rw({ bearer_token: 'tok' }, (e) => e.bearerToken, 'tok', 'bearer_token');
  rw({ bearer_token_file: '/tok' }, (e) => e.bearerTokenFile, '/tok', 'bearer_token_file');
  rw({ authorization: { credentials: 'tok' } }, (e) => e.bearerToken, 'tok', 'authorization.credentials (Bearer)');
  rw(
    { authorization: { type: 'Bearer', credentials_file: '/tok' } },
    (e) => e.bearerTokenFile,
    '/tok',
    'authorization.credentials_file',
  );
  rw(
    { sigv4: { region: 'eu-west-1', access_key: 'A', secret_key: 'S', profile: 'p' } },
    (e) => e.sigv4,
    { region: 'eu-west-1', accessKey: 'A', secretKey: 'S', profile: 'p' },
    'sigv4',
  );
  rw({ remote_timeout: '5s' }, (e) => e.remoteTimeoutMs, 5000, 'remote_timeout');
  rw({ remote_timeout: '1d' }, (e) => e.remoteTimeoutMs, 86_400_000, 'remote_timeout (Prometheus units)');
  rw(
    { queue_config: { max_samples_per_send: 500 } },
    (e) => e.maxSamplesPerSend,
    500,
    'queue_config.max_samples_per_send',
  );
});

describe('per-tenant override keys', () => {
  const o = (mg: object, read: Read, expected: unknown, name = Object.keys(mg)[0]) =>
    check(
      name,
      () => withOverride(mg),
      () => withOverride({}),
      read,
      expected,
    );

  check(
    'processors',
    () => withOverride({}),
    () => load(''),
    (c) => [...tenant(c).processors],
    ['span-metrics', 'service-graphs', 'host-info'],
  );
  o({ max_active_series: 1000 }, (c) => tenant(c).registry.maxActiveSeries, 1000);
  o({ collection_interval: '1m' }, (c) => tenant(c).registry.collectionIntervalMs, 60_000);
  o({ disable_collection: true }, (c) => tenant(c).registry.disableCollection, true);
  o({ generate_native_histograms: 'both' }, (c) => tenant(c).histogramMode, 'both');
  o({ trace_id_label_name: 'trace_id' }, (c) => tenant(c).traceIdLabelName, 'trace_id');
  o({ remote_write_headers: { 'X-Custom': 'v' } }, (c) => tenant(c).remoteWriteHeaders, { 'X-Custom': 'v' });
  o({ ingestion_time_range_slack: '1h' }, (c) => tenant(c).ingestionSlackMs, 3_600_000);
  o({ native_histogram_bucket_factor: 1.5 }, (c) => tenant(c).nativeHistogram.bucketFactor, 1.5);
  o({ native_histogram_max_bucket_number: 160 }, (c) => tenant(c).nativeHistogram.maxBucketNumber, 160);
  o({ native_histogram_min_reset_duration: '1h' }, (c) => tenant(c).nativeHistogram.minResetDurationMs, 3_600_000);

  const s = (key: string, value: unknown, read: Read, expected: unknown) =>
    o({ processor: { span_metrics: { [key]: value } } }, read, expected, `processor.span_metrics.${key}`);
  s('histogram_buckets', [0.5, 1], (c) => sm(c).histogramBuckets, [0.5, 1]);
  s('dimensions', ['env'], (c) => sm(c).dimensions, ['env']);
  s('intrinsic_dimensions', { status_message: true }, (c) => sm(c).intrinsicDimensions.status_message, true);
  s('filter_policies', [policy], (c) => sm(c).filterPolicies, parsedPolicy);
  s('dimension_mappings', [{ name: 'm', source_labels: ['a'] }], (c) => sm(c).dimensionMappings, [
    { name: 'm', sourceLabels: ['a'], join: '' },
  ]);
  s('dimension_mapings', [{ name: 'm', source_labels: ['a'] }], (c) => sm(c).dimensionMappings, [
    { name: 'm', sourceLabels: ['a'], join: '' },
  ]);
  s('enable_target_info', true, (c) => sm(c).enableTargetInfo, true);
  s('target_info_excluded_dimensions', ['ip'], (c) => sm(c).targetInfoExcludedDimensions, ['ip']);
  s('enable_instance_label', false, (c) => sm(c).enableInstanceLabel, false);
  s('span_multiplier_key', 'ratio', (c) => sm(c).spanMultiplierKey, 'ratio');
  s('enable_tracestate_span_multiplier', true, (c) => sm(c).enableTracestateSpanMultiplier, true);

  const v = (key: string, value: unknown, read: Read, expected: unknown) =>
    o({ processor: { service_graphs: { [key]: value } } }, read, expected, `processor.service_graphs.${key}`);
  for (const row of SERVICE_GRAPH_ROWS) v(...row);

  for (const [key, value, read, expected] of HOST_INFO_ROWS)
    o({ processor: { host_info: { [key]: value } } }, read, expected, `processor.host_info.${key}`);
});

describe('override semantics per key', () => {
  const global = {
    processor: {
      span_metrics: {
        dimensions: ['g'],
        span_multiplier_key: 'gk',
        enable_target_info: true,
        intrinsic_dimensions: { span_kind: false },
      },
      service_graphs: { enable_client_server_prefix: true, span_multiplier_key: 'gk' },
      host_info: { metric_name: 'g_info' },
    },
  };
  const both = (o: object) =>
    load(
      JSON.stringify({
        metrics_generator: global,
        overrides: {
          defaults: {
            metrics_generator: { processors: ['span-metrics', 'service-graphs', 'host-info'], processor: o },
          },
        },
      }),
    ).tenant('t');

  test('absent override keys keep the global processor config', () => {
    const t = both({});
    assert.deepEqual(t.spanMetrics!.dimensions, ['g']);
    assert.equal(t.spanMetrics!.spanMultiplierKey, 'gk');
    assert.equal(t.spanMetrics!.enableTargetInfo, true);
    assert.equal(t.hostInfo!.metricName, 'g_info');
  });

  test('lists replace, even with an empty list', () => {
    assert.deepEqual(both({ span_metrics: { dimensions: [] } }).spanMetrics!.dimensions, []);
    assert.deepEqual(both({ span_metrics: { dimensions: ['o'] } }).spanMetrics!.dimensions, ['o']);
  });

  test('string keys replace only when non-empty', () => {
    assert.equal(both({ span_metrics: { span_multiplier_key: '' } }).spanMetrics!.spanMultiplierKey, 'gk');
    assert.equal(both({ service_graphs: { span_multiplier_key: '' } }).serviceGraphs!.spanMultiplierKey, 'gk');
    assert.equal(both({ host_info: { metric_name: '' } }).hostInfo!.metricName, 'g_info');
  });

  test('*bool keys replace when set, false included', () => {
    assert.equal(both({ span_metrics: { enable_target_info: false } }).spanMetrics!.enableTargetInfo, false);
  });

  test('intrinsic_dimensions merge onto the global ones', () => {
    assert.deepEqual(
      both({ span_metrics: { intrinsic_dimensions: { status_message: true } } }).spanMetrics!.intrinsicDimensions,
      {
        service: true,
        span_name: true,
        span_kind: false,
        status_code: true,
        status_message: true,
      },
    );
  });

  test('enable_client_server_prefix: false cannot turn the global true off', () => {
    assert.equal(
      both({ service_graphs: { enable_client_server_prefix: false } }).serviceGraphs!.enableClientServerPrefix,
      true,
    );
  });

  test('0 / "" mean "use the global or default value"', () => {
    const t = withOverride({
      collection_interval: '0s',
      ingestion_time_range_slack: 0,
      trace_id_label_name: '',
      generate_native_histograms: '',
      native_histogram_bucket_factor: 0,
      max_active_series: 0,
    }).tenant('t');
    assert.equal(t.registry.collectionIntervalMs, 15_000);
    assert.equal(t.ingestionSlackMs, 30_000);
    assert.equal(t.traceIdLabelName, 'traceID');
    assert.equal(t.histogramMode, 'classic');
    assert.equal(t.nativeHistogram.bucketFactor, 1.1);
    assert.equal(t.registry.maxActiveSeries, 0);
  });

  test('the tenant override of collection_interval and slack beats a changed global value', () => {
    const c = load(
      JSON.stringify({
        metrics_generator: { registry: { collection_interval: '20s' }, metrics_ingestion_time_range_slack: '1m' },
        overrides: { a: { metrics_generator: { collection_interval: '45s', ingestion_time_range_slack: '5m' } } },
      }),
    );
    assert.equal(c.tenant('a').registry.collectionIntervalMs, 45_000);
    assert.equal(c.tenant('a').ingestionSlackMs, 300_000);
    assert.equal(c.tenant('b').registry.collectionIntervalMs, 20_000);
    assert.equal(c.tenant('b').ingestionSlackMs, 60_000);
  });
});
