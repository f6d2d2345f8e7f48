// Tempo's code defaults that other modules also need. Bucket bounds are written as decimal
// literals so they print exactly as Tempo's `le` labels (0.002, ..., 16.384).

/** prometheus.ExponentialBuckets(0.002, 2, 14): span-metrics latency buckets, seconds. */
export const DEFAULT_SPAN_METRICS_BUCKETS: readonly number[] = Object.freeze([
  0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384,
]);

/** prometheus.ExponentialBuckets(0.1, 2, 8): service-graph latency buckets, seconds. */
export const DEFAULT_SERVICE_GRAPHS_BUCKETS: readonly number[] = Object.freeze([
  0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8,
]);

export const DEFAULT_PEER_ATTRIBUTES: readonly string[] = Object.freeze([
  'peer.service',
  'db.name',
  'db.system',
  'db.system.name',
]);
export const DEFAULT_DATABASE_NAME_ATTRIBUTES: readonly string[] = Object.freeze([
  'db.namespace',
  'db.name',
  'db.system',
  'db.system.name',
]);
export const DEFAULT_HOST_IDENTIFIERS: readonly string[] = Object.freeze(['k8s.node.name', 'host.id']);
export const DEFAULT_HOST_INFO_METRIC_NAME = 'traces_host_info';

export const DEFAULT_TRACE_ID_LABEL_NAME = 'traceID';
export const DEFAULT_TENANT_HEADER = 'X-Scope-OrgID';

export const DEFAULT_NATIVE_HISTOGRAM_BUCKET_FACTOR = 1.1;
export const DEFAULT_NATIVE_HISTOGRAM_MAX_BUCKET_NUMBER = 100;
export const DEFAULT_NATIVE_HISTOGRAM_MIN_RESET_DURATION_MS = 15 * 60_000;

/**
 * The intrinsic dimensions of span metrics (Tempo: modules/generator/validation/fields.go); dimension labels
 * equal to one get a `__` prefix.
 */
export const INTRINSIC_DIMENSIONS = ['service', 'span_name', 'span_kind', 'status_code', 'status_message'] as const;
