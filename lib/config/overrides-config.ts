// The `overrides:` block in Tempo's scoped layout, and the per-tenant overrides file
// (`overrides.per_tenant_override_config`, Tempo's runtime-overrides format).

import { tenantIdProblem } from '../tenant/tenant-id.ts';
import { fail, joinPath } from './errors.ts';
import { labelNameProblem } from './common-specs.ts';
import { hostInfoOverrideSpec } from './host-info-config.ts';
import { MAX_INGESTION_SLACK_MS } from './metrics-generator-config.ts';
import { headerMap } from './remote-write.ts';
import {
  anyMapping,
  bool,
  duration,
  float,
  ignored,
  ignoring,
  integer,
  isAbsent,
  listOf,
  object,
  oneOf,
  refine,
  string,
  uint32,
  uint64,
} from './schema.ts';
import type { ObjectOf, Spec } from './schema.ts';
import { serviceGraphsOverrideSpec } from './service-graphs-config.ts';
import { spanMetricsOverrideSpec } from './span-metrics-config.ts';
import { isLegacyKey, isScopedOnlyKey, mixedFormatError, scopedFromLegacy } from './legacy-overrides.ts';
import { isNodeMap, Scalar } from './yaml.ts';
import type { Node, NodeMap } from './yaml.ts';

const legacyHint = (key: string): string | undefined =>
  key.startsWith('metrics_generator_')
    ? 'a legacy flat key inside a scoped block; flat keys go directly in the entry'
    : undefined;

/** `overrides.<tenant>.metrics_generator` (Tempo: modules/overrides/config.go). Absent keys mean "not set". */
export const generatorOverrideSpec = object(
  {
    processors: listOf(string()),
    max_active_series: uint32(),
    collection_interval: refine(duration(), (ms) =>
      ms === 0 || (ms >= 15_000 && ms <= 300_000)
        ? undefined
        : 'must be 0 (use the global registry.collection_interval) or between 15s and 5m',
    ),
    disable_collection: bool(),
    // '' is Tempo's "not set".
    generate_native_histograms: oneOf(['classic', 'native', 'both', '']),
    trace_id_label_name: refine(string(), (s) => (s === '' ? undefined : labelNameProblem(s))),
    remote_write_headers: headerMap({ tenant: true }),
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
      // Tempo 2.x local blocks (TraceQL metrics), served by Tempo itself.
      local_blocks: ignoring(anyMapping()),
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
  /** How often the per-tenant file is re-read (Tempo's per_tenant_override_period, default 10 s). */
  readonly perTenantOverridePeriodMs: number;
  /** Entries by tenant ID, including `*`. */
  readonly tenants: ReadonlyMap<string, OverridesEntry>;
  /** Some entry was written in Tempo 2.x's legacy flat format. */
  readonly legacyFormat: boolean;
}

export interface TenantEntries {
  readonly tenants: ReadonlyMap<string, OverridesEntry>;
  readonly legacyFormat: boolean;
}

/** One entry, scoped (`metrics_generator: {...}`) or legacy flat (`metrics_generator_processors: [...]`). */
function parseEntry(node: Node, path: string): { entry: OverridesEntry; legacy: boolean } {
  if (!isNodeMap(node) || ![...node.keys()].some(isLegacyKey))
    return { entry: overridesEntrySpec.parse(node, path), legacy: false };
  const scopedKeys = Object.keys(overridesEntrySpec.shape);
  for (const k of node.keys()) if (isScopedOnlyKey(k, scopedKeys)) mixedFormatError(path, k);
  const { entry, legacyError } = scopedFromLegacy(node, path, path);
  try {
    return { entry: overridesEntrySpec.parse(entry, path), legacy: true };
  } catch (e) {
    throw legacyError(e);
  }
}

function tenantEntries(node: NodeMap, path: string, skip: ReadonlySet<string>): TenantEntries {
  const tenants = new Map<string, OverridesEntry>();
  let legacyFormat = false;
  for (const [id, value] of node) {
    if (skip.has(id)) continue;
    const p = joinPath(path, id);
    const problem = id === '*' ? undefined : tenantIdProblem(id);
    if (problem !== undefined) fail(p, `not a valid tenant ID: ${problem}`);
    // A null entry is no entry, as in Tempo (the tenant falls back to `*` or defaults).
    if (isAbsent(value)) continue;
    const { entry, legacy } = parseEntry(value, p);
    tenants.set(id, entry);
    legacyFormat ||= legacy;
  }
  return { tenants, legacyFormat };
}

/** Tempo: modules/overrides/config.go (PerTenantOverridePeriod defaults to 10s). */
export const DEFAULT_OVERRIDE_PERIOD_MS = 10_000;

const BLOCK_KEYS = new Set([
  'defaults',
  'per_tenant_override_config',
  'per_tenant_override_period',
  'user_configurable_overrides',
  'enable_legacy_overrides',
]);

const entrySpec: Spec<{ entry: OverridesEntry; legacy: boolean }> = { type: 'overrides entry', parse: parseEntry };

const blockSettings = object({
  defaults: entrySpec,
  per_tenant_override_config: string(),
  per_tenant_override_period: duration({ prometheus: true }),
  user_configurable_overrides: refine(anyMapping(), (u) => {
    const enabled = u.get('enabled');
    return enabled instanceof Scalar && enabled.value === true
      ? 'not supported: user-configurable overrides (the overrides API)'
      : undefined;
  }),
  // Tempo 3 reads the legacy flat format only with this set; here it is always read, as in Tempo 2.x.
  enable_legacy_overrides: ignoring(bool()),
});

/**
 * The main file's `overrides:`: the reserved keys above, every other key a tenant ID
 * (`*` = tenants without their own entry). In Tempo 2.x's legacy format the other keys are
 * instead the defaults' flat keys, written directly under `overrides:`.
 */
export function overridesBlock(): Spec<OverridesBlock> {
  return {
    type: 'overrides mapping',
    parse(node, path) {
      if (!isNodeMap(node)) return fail(path, 'must be a mapping');
      const own = new Map([...node].filter(([k]) => BLOCK_KEYS.has(k)));
      const settings = blockSettings.parse(own, path);
      const period = settings.per_tenant_override_period ?? DEFAULT_OVERRIDE_PERIOD_MS;
      if (!(period > 0))
        fail(joinPath(path, 'per_tenant_override_period'), 'must be greater than 0 (the reload period)');
      const perTenant = {
        perTenantOverridePeriodMs: period,
        ...(settings.per_tenant_override_config !== undefined &&
          settings.per_tenant_override_config !== '' && {
            perTenantOverrideConfig: settings.per_tenant_override_config,
          }),
      };
      const flat = [...node].filter(([k]) => !BLOCK_KEYS.has(k));
      if (flat.some(([k]) => isLegacyKey(k))) {
        if (own.has('defaults')) mixedFormatError(path, 'defaults');
        const defaultsPath = joinPath(path, 'defaults');
        const { entry, legacyError } = scopedFromLegacy(flat, path, defaultsPath);
        let defaults: OverridesEntry;
        try {
          defaults = overridesEntrySpec.parse(entry, defaultsPath);
        } catch (e) {
          throw legacyError(e);
        }
        return { defaults, ...perTenant, tenants: new Map(), legacyFormat: true };
      }
      const { tenants, legacyFormat } = tenantEntries(node, path, BLOCK_KEYS);
      return {
        ...(settings.defaults !== undefined && { defaults: settings.defaults.entry }),
        ...perTenant,
        tenants,
        legacyFormat: legacyFormat || settings.defaults?.legacy === true,
      };
    },
  };
}

/** The per-tenant overrides file: `overrides: {<tenant>: {metrics_generator: {...}}}` and nothing else. */
export function perTenantOverridesFile(): Spec<TenantEntries> {
  return {
    type: 'per-tenant overrides file',
    parse(node, path) {
      if (!isNodeMap(node)) return fail(path, 'must be a mapping with an overrides key');
      for (const k of node.keys())
        if (k !== 'overrides') fail(k, 'unknown key (a per-tenant overrides file holds only overrides:)');
      const overrides = node.get('overrides');
      if (isAbsent(overrides)) return { tenants: new Map(), legacyFormat: false };
      if (!isNodeMap(overrides)) return fail('overrides', 'must be a mapping of tenant IDs');
      return tenantEntries(overrides, 'overrides', new Set());
    },
  };
}
