// The `overrides:` block in Tempo's scoped layout, and the per-tenant overrides file
// (`overrides.per_tenant_override_config`, Tempo's runtime-overrides format).

import { tenantIdProblem } from '../decode/tenant.ts';
import { fail, joinPath } from './errors.ts';
import { labelNameProblem } from './common-specs.ts';
import { hostInfoOverrideSpec } from './host-info-config.ts';
import { MAX_INGESTION_SLACK_MS } from './metrics-generator-config.ts';
import { headerMap } from './remote-write.ts';
import {
  anyMapping, bool, duration, float, ignored, ignoring, integer, isAbsent, listOf, object, oneOf, refine, string, uint32, uint64,
} from './schema.ts';
import type { ObjectOf, Spec } from './schema.ts';
import { serviceGraphsOverrideSpec } from './service-graphs-config.ts';
import { spanMetricsOverrideSpec } from './span-metrics-config.ts';
import { isNodeMap, Scalar } from './yaml.ts';
import type { NodeMap } from './yaml.ts';

const legacyHint = (key: string): string | undefined =>
  key.startsWith('metrics_generator_') ? 'the legacy flat overrides format is not supported; use metrics_generator: {...}' : undefined;

/** `overrides.<tenant>.metrics_generator` (spec 6.3). Absent keys mean "not set". */
export const generatorOverrideSpec = object(
  {
    processors: listOf(string()),
    max_active_series: uint32(),
    collection_interval: refine(duration(), (ms) =>
      ms === 0 || (ms >= 15_000 && ms <= 300_000) ? undefined : 'must be 0 (use the global registry.collection_interval) or between 15s and 5m',
    ),
    disable_collection: bool(),
    // '' is Tempo's "not set".
    generate_native_histograms: oneOf(['classic', 'native', 'both', '']),
    trace_id_label_name: refine(string(), (s) => (s === '' ? undefined : labelNameProblem(s))),
    remote_write_headers: headerMap(),
    ingestion_time_range_slack: duration({ maxMs: MAX_INGESTION_SLACK_MS }),
    native_histogram_bucket_factor: refine(float(), (v) => (v === 0 || v > 1 ? undefined : 'must be greater than 1')),
    native_histogram_max_bucket_number: uint32(),
    native_histogram_min_reset_duration: duration(),
    // Cardinality controls of Tempo 3 (Tempo: modules/overrides/config.go), applied by the registry.
    span_name_sanitization: oneOf(['', 'dry_run', 'enabled']),
    max_cardinality_per_label: uint64(),
    max_active_entities: uint32(),
    processor: object({
      service_graphs: serviceGraphsOverrideSpec,
      span_metrics: spanMetricsOverrideSpec,
      host_info: hostInfoOverrideSpec,
    }),
    // Ring, limiter and distributor settings with no counterpart here.
    ring_size: ignoring(integer(-2147483648n, 2147483647n)),
    forwarder: ignoring(anyMapping()),
  },
  { unknownKeyHint: legacyHint },
);

export type GeneratorOverride = ObjectOf<typeof generatorOverrideSpec.shape>;

/** One tenant's (or the defaults') entry: Tempo's Overrides; only metrics_generator matters here. */
export const overridesEntrySpec = object(
  {
    metrics_generator: generatorOverrideSpec,
    // Overrides for other Tempo components, harmless to share the file with them.
    ingestion: ignored(),
    read: ignored(),
    compaction: ignored(),
    forwarders: ignored(),
    global: ignored(),
    storage: ignored(),
    cost_attribution: ignored(),
  },
  { unknownKeyHint: legacyHint },
);

export type OverridesEntry = ObjectOf<typeof overridesEntrySpec.shape>;

export interface OverridesBlock {
  readonly defaults?: OverridesEntry;
  readonly perTenantOverrideConfig?: string;
  /** Entries by tenant ID, including `*`. */
  readonly tenants: ReadonlyMap<string, OverridesEntry>;
}

function tenantEntries(node: NodeMap, path: string, skip: ReadonlySet<string>): Map<string, OverridesEntry> {
  const tenants = new Map<string, OverridesEntry>();
  for (const [id, value] of node) {
    if (skip.has(id)) continue;
    const p = joinPath(path, id);
    const problem = id === '*' ? undefined : tenantIdProblem(id);
    if (problem !== undefined) fail(p, `not a valid tenant ID: ${problem}`);
    // A null entry is no entry, as in Tempo (the tenant falls back to `*` or defaults).
    if (isAbsent(value)) continue;
    tenants.set(id, overridesEntrySpec.parse(value, p));
  }
  return tenants;
}

const BLOCK_KEYS = new Set(['defaults', 'per_tenant_override_config', 'per_tenant_override_period', 'user_configurable_overrides', 'enable_legacy_overrides']);

const blockSettings = object({
  defaults: overridesEntrySpec,
  per_tenant_override_config: string(),
  per_tenant_override_period: ignoring(duration({ prometheus: true })),
  user_configurable_overrides: refine(anyMapping(), (u) => {
    const enabled = u.get('enabled');
    return enabled instanceof Scalar && enabled.value === true ? 'not supported: user-configurable overrides (the overrides API)' : undefined;
  }),
  enable_legacy_overrides: refine(bool(), (v) => (v ? 'not supported: the legacy flat overrides format' : undefined)),
});

/**
 * The main file's `overrides:`: the reserved keys above, every other key a tenant ID
 * (`*` = tenants without their own entry).
 */
export function overridesBlock(): Spec<OverridesBlock> {
  return {
    type: 'overrides mapping',
    parse(node, path) {
      if (!isNodeMap(node)) return fail(path, 'must be a mapping');
      const own = new Map([...node].filter(([k]) => BLOCK_KEYS.has(k)));
      const settings = blockSettings.parse(own, path);
      return {
        ...(settings.defaults !== undefined && { defaults: settings.defaults }),
        ...(settings.per_tenant_override_config !== undefined && settings.per_tenant_override_config !== '' && {
          perTenantOverrideConfig: settings.per_tenant_override_config,
        }),
        tenants: tenantEntries(node, path, BLOCK_KEYS),
      };
    },
  };
}

/** The per-tenant overrides file: `overrides: {<tenant>: {metrics_generator: {...}}}` and nothing else. */
export function perTenantOverridesFile(): Spec<ReadonlyMap<string, OverridesEntry>> {
  return {
    type: 'per-tenant overrides file',
    parse(node, path) {
      if (!isNodeMap(node)) return fail(path, 'must be a mapping with an overrides key');
      for (const k of node.keys()) if (k !== 'overrides') fail(k, 'unknown key (a per-tenant overrides file holds only overrides:)');
      const overrides = node.get('overrides');
      if (isAbsent(overrides)) return new Map();
      if (!isNodeMap(overrides)) return fail('overrides', 'must be a mapping of tenant IDs');
      return tenantEntries(overrides, 'overrides', new Set());
    },
  };
}
