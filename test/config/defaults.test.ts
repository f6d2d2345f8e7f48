// Every default, with nothing configured and with every processor on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SERVICE_GRAPHS_BUCKETS, DEFAULT_SPAN_METRICS_BUCKETS } from '../../lib/config/index.ts';
import { load, withOverride } from './helpers.ts';

describe('defaults', () => {
  test('bucket constants print exactly as Tempo labels them', () => {
    assert.equal(
      DEFAULT_SPAN_METRICS_BUCKETS.map(String).join(','),
      '0.002,0.004,0.008,0.016,0.032,0.064,0.128,0.256,0.512,1.024,2.048,4.096,8.192,16.384',
    );
    assert.equal(DEFAULT_SERVICE_GRAPHS_BUCKETS.map(String).join(','), '0.1,0.2,0.4,0.8,1.6,3.2,6.4,12.8');
    // Same doubles as ExponentialBuckets computes (doubling is exact in binary).
    for (const [i, b] of DEFAULT_SPAN_METRICS_BUCKETS.entries()) assert.equal(b, 0.002 * 2 ** i);
    for (const [i, b] of DEFAULT_SERVICE_GRAPHS_BUCKETS.entries()) assert.equal(b, 0.1 * 2 ** i);
  });

  for (const text of ['', '{}', 'metrics_generator:\noverrides:\n', '# nothing\n']) {
    test(`process-wide settings for ${JSON.stringify(text)}`, () => {
      const c = load(text);
      assert.equal(c.codec, 'push-bytes');
      assert.equal(c.tenantHeader, 'X-Scope-OrgID');
      assert.equal(c.defaultTenant, '');
      assert.deepEqual(c.remoteWrite, []);
      assert.equal(c.remoteWriteAddOrgIdHeader, true);
    });
  }

  test('a tenant with no overrides gets no processors and the registry defaults', () => {
    const t = load('').tenant('single-tenant');
    assert.equal(t.tenant, 'single-tenant');
    assert.deepEqual([...t.processors], []);
    assert.equal(t.spanMetrics, undefined);
    assert.equal(t.serviceGraphs, undefined);
    assert.equal(t.hostInfo, undefined);
    assert.deepEqual(t.registry, {
      collectionIntervalMs: 15_000,
      staleDurationMs: 15 * 60_000,
      externalLabels: {},
      injectTenantIdAs: '',
      maxLabelNameLength: 1024,
      maxLabelValueLength: 2048,
      maxActiveSeries: 0,
      disableCollection: false,
      limiterType: 'series',
      maxActiveEntities: 0,
      spanNameSanitization: '',
      maxCardinalityPerLabel: 0,
    });
    assert.equal(t.histogramMode, 'classic');
    assert.deepEqual(t.nativeHistogram, { bucketFactor: 1.1, maxBucketNumber: 100, minResetDurationMs: 15 * 60_000 });
    assert.equal(t.traceIdLabelName, 'traceID');
    assert.equal(t.ingestionSlackMs, 30_000);
    assert.deepEqual(t.remoteWriteHeaders, {});
  });

  test('processor defaults (span metrics, service graphs, host info)', () => {
    const t = withOverride({}).tenant('t');
    assert.deepEqual(t.spanMetrics, {
      subprocessors: { count: true, latency: true, size: true },
      histogramBuckets: DEFAULT_SPAN_METRICS_BUCKETS,
      intrinsicDimensions: {
        service: true,
        span_name: true,
        span_kind: true,
        status_code: true,
        status_message: false,
      },
      dimensions: [],
      dimensionMappings: [],
      enableTargetInfo: false,
      targetInfoExcludedDimensions: [],
      enableInstanceLabel: true,
      spanMultiplierKey: '',
      enableTracestateSpanMultiplier: false,
      filterPolicies: [],
    });
    assert.deepEqual(t.serviceGraphs, {
      subprocessors: { request: true, latency: true, connectionInfo: false },
      waitMs: 10_000,
      maxItems: 10_000,
      histogramBuckets: DEFAULT_SERVICE_GRAPHS_BUCKETS,
      dimensions: [],
      enableClientServerPrefix: false,
      enableMessagingSystemLatencyHistogram: false,
      enableVirtualNodeLabel: false,
      peerAttributes: ['peer.service', 'db.name', 'db.system', 'db.system.name'],
      databaseNameAttributes: ['db.namespace', 'db.name', 'db.system', 'db.system.name'],
      spanMultiplierKey: '',
      enableTracestateSpanMultiplier: false,
      filterPolicies: [],
    });
    assert.deepEqual(t.hostInfo, { hostIdentifiers: ['k8s.node.name', 'host.id'], metricName: 'traces_host_info' });
  });

  test('remote_write entry defaults', () => {
    const c = load('metrics_generator: {storage: {remote_write: [{url: "http://prom:9090/api/v1/write"}]}}');
    assert.deepEqual(c.remoteWrite, [
      { url: 'http://prom:9090/api/v1/write', headers: {}, remoteTimeoutMs: 30_000, maxSamplesPerSend: 2000 },
    ]);
  });

  test("Tempo's full default manifest block is accepted and changes nothing", () => {
    const manifest = `
metrics_generator:
    ring:
        kvstore: {store: memberlist, prefix: collectors/}
        heartbeat_period: 5s
        instance_interface_names: [eth0, en0]
    processor:
        service_graphs:
            wait: 10s
            max_items: 10000
            workers: 10
            histogram_buckets: [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8]
            dimensions: []
            enable_client_server_prefix: false
            enable_messaging_system_latency_histogram: false
            peer_attributes: [peer.service, db.name, db.system, db.system.name]
            span_multiplier_key: ""
            enable_tracestate_span_multiplier: false
            enable_virtual_node_label: false
            database_name_attributes: [db.namespace, db.name, db.system, db.system.name]
            filter_policies: []
        span_metrics:
            histogram_buckets: [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384]
            intrinsic_dimensions: {service: true, span_name: true, span_kind: true, status_code: true}
            dimensions: []
            dimension_mappings: []
            enable_target_info: false
            span_multiplier_key: ""
            enable_tracestate_span_multiplier: false
            filter_policies: []
            target_info_excluded_dimensions: []
            enable_instance_label: true
        host_info:
            host_identifiers: [k8s.node.name, host.id]
            metric_name: traces_host_info
    registry:
        collection_interval: 15s
        stale_duration: 15m0s
        max_label_name_length: 1024
        max_label_value_length: 2048
    storage:
        path: ""
        wal: {wal_segment_size: 134217728, wal_compression: none, stripe_size: 16384, truncate_frequency: 2h0m0s, min_wal_time: 300000, max_wal_time: 14400000, no_lockfile: false}
        remote_write_flush_deadline: 1m0s
        remote_write_add_org_id_header: true
    metrics_ingestion_time_range_slack: 30s
    override_ring_key: metrics-generator
    ring_mode: partition
    codec: push-bytes
    limiter_type: series
    ingest_concurrency: 16
    instance_id: hostname
    leave_consumer_group_on_shutdown: false
    skip_stale_backlog_on_startup: false
overrides:
    defaults:
        metrics_generator:
            processors: [span-metrics, service-graphs, host-info]
`;
    const fromManifest = load(manifest).tenant('t');
    const fromNothing = withOverride({}).tenant('t');
    assert.deepEqual(fromManifest, fromNothing);
  });
});
