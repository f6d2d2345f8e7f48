// Tempo keys this implementation accepts (their values are still type-checked) but that have no
// effect here. Kept as data so the docs and a test can follow the schema; each entry's path uses
// `<tenant>` for any overrides entry (defaults, a tenant ID, `*`) and `[]` for any list item.
// Generator keys (any path through `metrics_generator`) get one warning at start when set, so an
// operator bringing a whole tempo.yaml learns what does nothing here and why.

import { isNodeMap, Scalar } from './yaml.ts';
import type { Node, NodeMap } from './yaml.ts';

export interface IgnoredKey {
  readonly path: string;
  readonly why: string;
  /** A value that must be accepted (YAML flow syntax), for the test that keeps this list honest. */
  readonly example: string;
}

export const QUERIES_ELSEWHERE =
  "TraceQL metrics and Traces Drilldown are served by Tempo's live-store / local-blocks, not by this generator";

export const IGNORED_TEMPO_KEYS: readonly IgnoredKey[] = [
  { path: 'metrics_generator.traces_storage', why: QUERIES_ELSEWHERE, example: '{path: /var/tempo/generator/traces}' },
  {
    path: 'metrics_generator.traces_query_storage',
    why: QUERIES_ELSEWHERE,
    example: '{path: /var/tempo/generator/query-traces}',
  },
  {
    path: 'metrics_generator.processor.local_blocks',
    why: QUERIES_ELSEWHERE,
    example: '{flush_to_storage: true, filter_server_spans: false}',
  },
  { path: 'metrics_generator.disable_local_blocks', why: 'there are no local blocks here', example: 'true' },
  { path: 'metrics_generator.query_timeout', why: 'no query API: this generator only writes metrics', example: '30s' },
  { path: 'metrics_generator.disable_grpc', why: 'no gRPC server: spans arrive through Kafka', example: 'true' },
  {
    path: 'metrics_generator.processor.span_metrics.subprocessors',
    why: "written by Tempo's /status/config up to 3.0.3; the tenant's processors list picks the subprocessors",
    example: '{0: true, 1: true, 2: true}',
  },
  {
    path: 'metrics_generator.ring',
    why: 'no hash ring: Kafka partitions are spread by the event source mapping',
    example: '{kvstore: {store: memberlist}}',
  },
  { path: 'metrics_generator.ring_mode', why: 'no ring', example: 'partition' },
  { path: 'metrics_generator.override_ring_key', why: 'no ring', example: 'metrics-generator' },
  {
    path: 'metrics_generator.ingest_concurrency',
    why: 'Lambda concurrency is set on the event source mapping',
    example: '16',
  },
  {
    path: 'metrics_generator.instance_id',
    why: 'no instance label: series are summed across invocations',
    example: 'gen-0',
  },
  {
    path: 'metrics_generator.leave_consumer_group_on_shutdown',
    why: 'the event source mapping owns the consumer group; local mode reads it',
    example: 'true',
  },
  {
    path: 'metrics_generator.skip_stale_backlog_on_startup',
    why: 'the event source mapping owns the offsets; local mode reads it',
    example: 'true',
  },
  {
    path: 'metrics_generator.processor.service_graphs.workers',
    why: 'one expiry pass per flush; nothing to parallelize',
    example: '10',
  },
  {
    path: 'metrics_generator.storage.path',
    why: 'no WAL: state lives in DynamoDB',
    example: '/var/tempo/generator/wal',
  },
  { path: 'metrics_generator.storage.wal', why: 'no WAL', example: '{wal_segment_size: 134217728}' },
  {
    path: 'metrics_generator.storage.remote_write_flush_deadline',
    why: 'each flush sends synchronously',
    example: '1m',
  },
  {
    path: 'metrics_generator.storage.remote_write[].send_exemplars',
    why: 'always on, as Tempo forces it',
    example: 'false',
  },
  {
    path: 'metrics_generator.storage.remote_write[].send_native_histograms',
    why: 'follows generate_native_histograms, as Tempo forces it',
    example: 'true',
  },
  { path: 'metrics_generator.storage.remote_write[].queue_config.capacity', why: 'no shard queue', example: '10000' },
  { path: 'metrics_generator.storage.remote_write[].queue_config.max_shards', why: 'no shard queue', example: '50' },
  { path: 'metrics_generator.storage.remote_write[].queue_config.min_shards', why: 'no shard queue', example: '1' },
  {
    path: 'metrics_generator.storage.remote_write[].queue_config.batch_send_deadline',
    why: 'no shard queue',
    example: '5s',
  },
  { path: 'metrics_generator.storage.remote_write[].queue_config.min_backoff', why: 'no shard queue', example: '30ms' },
  { path: 'metrics_generator.storage.remote_write[].queue_config.max_backoff', why: 'no shard queue', example: '5s' },
  {
    path: 'metrics_generator.storage.remote_write[].queue_config.retry_on_http_429',
    why: 'no shard queue',
    example: 'true',
  },
  {
    path: 'metrics_generator.storage.remote_write[].queue_config.sample_age_limit',
    why: 'no shard queue',
    example: '0s',
  },
  {
    path: 'metrics_generator.storage.remote_write[].metadata_config',
    why: 'no metadata is sent',
    example: '{send: false}',
  },
  { path: 'metrics_generator.storage.remote_write[].follow_redirects', why: 'HTTP client detail', example: 'true' },
  { path: 'metrics_generator.storage.remote_write[].enable_http2', why: 'HTTP client detail', example: 'false' },
  {
    path: 'metrics_generator.storage.remote_write[].protobuf_message',
    why: 'only prometheus.WriteRequest (remote write 1.0) is sent',
    example: 'prometheus.WriteRequest',
  },
  { path: 'overrides.user_configurable_overrides', why: 'accepted only when not enabled', example: '{enabled: false}' },
  {
    path: 'overrides.enable_legacy_overrides',
    why: 'the legacy flat overrides format is always read, as Tempo 2.x does',
    example: 'true',
  },
  { path: 'overrides.<tenant>.ingestion', why: 'other Tempo components', example: '{rate_limit_bytes: 1000}' },
  { path: 'overrides.<tenant>.read', why: 'other Tempo components', example: '{max_search_duration: 0s}' },
  { path: 'overrides.<tenant>.compaction', why: 'other Tempo components', example: '{block_retention: 48h}' },
  { path: 'overrides.<tenant>.forwarders', why: 'other Tempo components', example: '[]' },
  { path: 'overrides.<tenant>.global', why: 'other Tempo components', example: '{max_bytes_per_trace: 5000000}' },
  { path: 'overrides.<tenant>.storage', why: 'other Tempo components', example: '{parquet_dedicated_columns: []}' },
  { path: 'overrides.<tenant>.cost_attribution', why: 'other Tempo components', example: '{dimensions: {}}' },
  { path: 'overrides.<tenant>.metrics_generator.ring_size', why: 'no ring', example: '3' },
  {
    path: 'overrides.<tenant>.metrics_generator.processor.local_blocks',
    why: QUERIES_ELSEWHERE,
    example: '{max_live_traces: 100}',
  },
  {
    path: 'overrides.<tenant>.metrics_generator.forwarder',
    why: 'distributor setting',
    example: '{queue_size: 100, workers: 2}',
  },
];

/** The list as a Markdown table, for README/docs. */
export const IGNORED_TEMPO_KEYS_DOC: string = [
  '| key | why it has no effect |',
  '|---|---|',
  ...IGNORED_TEMPO_KEYS.map((k) => `| \`${k.path}\` | ${k.why} |`),
].join('\n');

/** Keys of `overrides:` that are settings, not tenant IDs. */
const OVERRIDES_SETTINGS = new Set([
  'per_tenant_override_config',
  'per_tenant_override_period',
  'user_configurable_overrides',
  'enable_legacy_overrides',
]);

/**
 * One warning per ignored generator key set in `root` (a whole config, or a per-tenant overrides
 * file: both keep tenants under `overrides:`). A per-tenant key is reported once, for the first
 * entry that sets it, so a thousand tenants do not give a thousand lines.
 */
export function warnIgnoredKeys(root: NodeMap, warn: (message: string) => void): void {
  for (const key of IGNORED_TEMPO_KEYS) {
    if (!key.path.includes('metrics_generator.')) continue;
    const found = firstPresent(root, key.path.split('.'), '');
    if (found !== undefined) warn(`${found}: ignored (${key.why})`);
  }
}

/** The concrete path of the first node matching the pattern's segments, if any. */
function firstPresent(node: Node | undefined, segments: readonly string[], path: string): string | undefined {
  if (node === undefined) return undefined;
  if (segments.length === 0) return node instanceof Scalar && node.value === null ? undefined : path;
  if (!isNodeMap(node)) return undefined;
  const [head, ...rest] = segments;
  const join = (k: string) => (path === '' ? k : `${path}.${k}`);
  if (head === '<tenant>') {
    for (const [id, entry] of node) {
      if (OVERRIDES_SETTINGS.has(id)) continue;
      const hit = firstPresent(entry, rest, join(id));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  if (head.endsWith('[]')) {
    const name = head.slice(0, -2);
    const list = node.get(name);
    if (!Array.isArray(list)) return undefined;
    for (let i = 0; i < list.length; i++) {
      const hit = firstPresent(list[i], rest, `${join(name)}[${i}]`);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  return firstPresent(node.get(head), rest, join(head));
}
