// Tempo 2.x's legacy flat overrides (its default format before 3.0): one flat mapping per entry,
// `metrics_generator_processors: [...]`, `max_traces_per_user: ...`. Read as Tempo reads them:
// every flat generator key becomes its scoped key (the mapping `tempo-cli migrate
// overrides-config` applies; Tempo: modules/overrides/config_legacy.go, toNewLimits), and the
// other components' keys are dropped like their scoped blocks are.

import { ConfigError, fail, joinPath } from './errors.ts';
import { didYouMean } from './schema.ts';
import type { Node, NodeMap } from './yaml.ts';

const SERVICE_GRAPHS_KEYS = [
  'histogram_buckets',
  'dimensions',
  'peer_attributes',
  'filter_policies',
  'enable_client_server_prefix',
  'enable_messaging_system_latency_histogram',
  'enable_virtual_node_label',
  'span_multiplier_key',
  'enable_tracestate_span_multiplier',
];
const SPAN_METRICS_KEYS = [
  'histogram_buckets',
  'dimensions',
  'intrinsic_dimensions',
  'filter_policies',
  'dimension_mappings',
  'enable_target_info',
  'target_info_excluded_dimensions',
  'enable_instance_label',
  'span_multiplier_key',
  'enable_tracestate_span_multiplier',
];
const LOCAL_BLOCKS_KEYS = [
  'max_live_traces',
  'max_block_duration',
  'max_block_bytes',
  'flush_check_period',
  'trace_idle_period',
  'complete_block_timeout',
];
const GENERATOR_KEYS = [
  'ring_size',
  'processors',
  'max_active_series',
  'max_active_entities',
  'collection_interval',
  'disable_collection',
  'generate_native_histograms',
  'native_histogram_bucket_factor',
  'native_histogram_max_bucket_number',
  'native_histogram_min_reset_duration',
  'span_name_sanitization',
  'max_cardinality_per_label',
  'trace_id_label_name',
  'remote_write_headers',
  'ingestion_time_range_slack',
];

/** Legacy flat key -> path under the scoped `metrics_generator:`. */
const GENERATOR_PATHS = new Map<string, readonly string[]>([
  ...GENERATOR_KEYS.map((k) => [`metrics_generator_${k}`, [k]] as const),
  ['metrics_generator_forwarder_queue_size', ['forwarder', 'queue_size']],
  ['metrics_generator_forwarder_workers', ['forwarder', 'workers']],
  ...SERVICE_GRAPHS_KEYS.map(
    (k) => [`metrics_generator_processor_service_graphs_${k}`, ['processor', 'service_graphs', k]] as const,
  ),
  ...SPAN_METRICS_KEYS.map(
    (k) => [`metrics_generator_processor_span_metrics_${k}`, ['processor', 'span_metrics', k]] as const,
  ),
  ...LOCAL_BLOCKS_KEYS.map(
    (k) => [`metrics_generator_processor_local_blocks_${k}`, ['processor', 'local_blocks', k]] as const,
  ),
  ['metrics_generator_processor_host_info_host_identifiers', ['processor', 'host_info', 'host_identifiers']],
  ['metrics_generator_processor_host_info_metric_name', ['processor', 'host_info', 'metric_name']],
  // The JSON spellings of Tempo's struct tags, for overrides written as JSON.
  ['native_histogram_min_reset_duration', ['native_histogram_min_reset_duration']],
  ['metrics_generator_processor_span_metrics_dimension_mapings', ['processor', 'span_metrics', 'dimension_mappings']],
]);

/** Legacy keys of Tempo's other components (distributor, ingester, compactor, querier, ...). */
const OTHER_COMPONENT_KEYS = new Set([
  'ingestion_rate_strategy',
  'ingestion_rate_limit_bytes',
  'ingestion_burst_size_bytes',
  'ingestion_tenant_shard_size',
  'ingestion_max_attribute_bytes',
  'ingestion_artificial_delay',
  'ingestion_retry_info_enabled',
  'max_traces_per_user',
  'max_global_traces_per_user',
  'forwarders',
  'block_retention',
  'compaction_disabled',
  'compaction_window',
  'max_bytes_per_tag_values_query',
  'max_blocks_per_tag_values_query',
  'max_condition_groups_per_tag_query',
  'max_search_duration',
  'max_metrics_duration',
  'unsafe_query_hints',
  'left_pad_trace_ids',
  'metrics_spanonly_fetch',
  'span_pruning_awareness',
  'engine_bytes_tracking',
  'span_pruning_enabled',
  'max_bytes_per_trace',
  'cost_attribution',
  'parquet_dedicated_columns',
]);

const LEGACY_KEYS = [...GENERATOR_PATHS.keys(), ...OTHER_COMPONENT_KEYS];

/** Keys spelled the same in both formats: they tell nothing about which one an entry uses. */
const BOTH_FORMATS = new Set(['forwarders', 'cost_attribution']);

/** Whether a key can only be the legacy flat format (scoped entries have no such keys). */
export function isLegacyKey(key: string): boolean {
  if (BOTH_FORMATS.has(key)) return false;
  return GENERATOR_PATHS.has(key) || OTHER_COMPONENT_KEYS.has(key) || key.startsWith('metrics_generator_');
}

/** Whether a key of a legacy entry is a scoped-only key (`metrics_generator`, `ingestion`, ...). */
export function isScopedOnlyKey(key: string, scopedKeys: readonly string[]): boolean {
  return scopedKeys.includes(key) && !BOTH_FORMATS.has(key);
}

export const LEGACY_FORMAT_NOTE =
  'read as Tempo 2.x reads the legacy flat format (Tempo 3 needs enable_legacy_overrides: true for it; `tempo-cli migrate overrides-config` converts it to the scoped format)';

/**
 * One legacy entry's keys (given as [key, value] pairs, `path` being where they sit) as a scoped
 * entry `{metrics_generator: {...}}`, plus a function that rewrites an error's scoped path (under
 * `scopedPath`) back to the legacy key the operator wrote.
 */
export function scopedFromLegacy(
  pairs: Iterable<readonly [string, Node]>,
  path: string,
  scopedPath: string,
): { entry: NodeMap; legacyError: (e: unknown) => unknown } {
  const generator: NodeMap = new Map();
  const written = new Map<string, string>();
  for (const [key, value] of pairs) {
    const keyPath = joinPath(path, key);
    if (OTHER_COMPONENT_KEYS.has(key)) continue;
    const target = GENERATOR_PATHS.get(key);
    if (target === undefined) {
      const hint = didYouMean(key, LEGACY_KEYS);
      fail(keyPath, `unknown key in the legacy flat overrides format${hint === undefined ? '' : ` (${hint})`}`);
    }
    setPath(generator, target, value, keyPath);
    written.set(joinPath(joinPath(scopedPath, 'metrics_generator'), target.join('.')), keyPath);
  }
  const entry: NodeMap = new Map();
  if (generator.size > 0) entry.set('metrics_generator', generator);
  const legacyError = (e: unknown): unknown => {
    if (!(e instanceof ConfigError)) return e;
    for (const [scoped, legacy] of written) {
      if (e.path === scoped || e.path.startsWith(`${scoped}.`) || e.path.startsWith(`${scoped}[`)) {
        return new ConfigError(legacy + e.path.slice(scoped.length), e.problem, e.source);
      }
    }
    return e;
  };
  return { entry, legacyError };
}

function setPath(root: NodeMap, segments: readonly string[], value: Node, keyPath: string): void {
  let node = root;
  for (const s of segments.slice(0, -1)) {
    let next = node.get(s);
    if (next === undefined) {
      next = new Map();
      node.set(s, next);
    }
    node = next as NodeMap;
  }
  const last = segments[segments.length - 1];
  // Two spellings of one key (YAML and JSON tag) in one entry.
  if (node.has(last)) fail(keyPath, 'sets a key already set by another spelling in this entry');
  node.set(last, value);
}

/** A scoped key next to legacy ones: Tempo would parse neither format. */
export function mixedFormatError(path: string, key: string): never {
  return fail(
    joinPath(path, key),
    'mixes the scoped overrides format with the legacy flat one; use one (see docs/configuration.md)',
  );
}
