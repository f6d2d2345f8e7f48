// The resolved configuration the rest of the code reads. lib/config turns Tempo-style YAML
// (metrics_generator + overrides) into these shapes; nothing else parses config.

import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';

export type Codec = 'push-bytes' | 'otlp';

/** Which histograms a latency is recorded in (`generate_native_histograms`). */
export type HistogramMode = 'classic' | 'native' | 'both';

/** A filter_policies match block (Tempo: pkg/spanfilter/config). Values keep their YAML type for strict matching. */
export interface PolicyAttribute {
  /** TraceQL-style key: `kind`, `name`, `status`, `span.<attr>` or `resource.<attr>`. */
  readonly key: string;
  readonly value: string | number | boolean;
  /** true when the YAML scalar was an integer (matches int_value), false for a float (double_value). */
  readonly isInt: boolean;
}
export interface PolicyMatch {
  readonly matchType: 'strict' | 'regex';
  readonly attributes: readonly PolicyAttribute[];
}
export interface FilterPolicy {
  readonly include?: PolicyMatch;
  readonly includeAny?: PolicyMatch;
  readonly exclude?: PolicyMatch;
}

export interface IntrinsicDimensions {
  readonly service: boolean;
  readonly span_name: boolean;
  readonly span_kind: boolean;
  readonly status_code: boolean;
  readonly status_message: boolean;
}

export interface DimensionMapping {
  readonly name: string;
  readonly sourceLabels: readonly string[];
  readonly join: string;
}

export interface SpanMetricsConfig {
  /** Which of the three span-metrics subprocessors run (Tempo: processor/spanmetrics/subprocessors.go). */
  readonly subprocessors: { readonly count: boolean; readonly latency: boolean; readonly size: boolean };
  readonly histogramBuckets: readonly number[];
  readonly intrinsicDimensions: IntrinsicDimensions;
  readonly dimensions: readonly string[];
  readonly dimensionMappings: readonly DimensionMapping[];
  readonly enableTargetInfo: boolean;
  readonly targetInfoExcludedDimensions: readonly string[];
  readonly enableInstanceLabel: boolean;
  readonly spanMultiplierKey: string;
  readonly enableTracestateSpanMultiplier: boolean;
  readonly filterPolicies: readonly FilterPolicy[];
}

export interface ServiceGraphsConfig {
  readonly subprocessors: { readonly request: boolean; readonly latency: boolean; readonly connectionInfo: boolean };
  readonly waitMs: number;
  readonly maxItems: number;
  readonly histogramBuckets: readonly number[];
  readonly dimensions: readonly string[];
  readonly enableClientServerPrefix: boolean;
  readonly enableMessagingSystemLatencyHistogram: boolean;
  readonly enableVirtualNodeLabel: boolean;
  readonly peerAttributes: readonly string[];
  readonly databaseNameAttributes: readonly string[];
  readonly spanMultiplierKey: string;
  readonly enableTracestateSpanMultiplier: boolean;
  readonly filterPolicies: readonly FilterPolicy[];
}

export interface HostInfoConfig {
  readonly hostIdentifiers: readonly string[];
  readonly metricName: string;
}

export interface NativeHistogramConfig {
  readonly bucketFactor: number;
  readonly maxBucketNumber: number;
  readonly minResetDurationMs: number;
}

export interface RegistryConfig {
  readonly collectionIntervalMs: number;
  readonly staleDurationMs: number;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly injectTenantIdAs: string;
  readonly maxLabelNameLength: number;
  readonly maxLabelValueLength: number;
  /** 0 = unlimited. */
  readonly maxActiveSeries: number;
  readonly disableCollection: boolean;
  /** Global `limiter_type`: which of max_active_series / max_active_entities applies (default series). */
  readonly limiterType?: 'series' | 'entity';
  /** 0 = unlimited; only with limiterType entity. */
  readonly maxActiveEntities?: number;
  /** '' (default) = off, dry_run = self-metrics only, enabled = span_name rewritten. */
  readonly spanNameSanitization?: '' | 'dry_run' | 'enabled';
  /** 0 (default) = off. */
  readonly maxCardinalityPerLabel?: number;
}

/** Everything that applies to one tenant after overrides are resolved. */
export interface TenantConfig {
  readonly tenant: string;
  /** Raw processor names from the override (valid ones only; unknown names produce a warning). */
  readonly processors: ReadonlySet<string>;
  /** undefined when no span-metrics processor is enabled for the tenant. */
  readonly spanMetrics?: SpanMetricsConfig;
  readonly serviceGraphs?: ServiceGraphsConfig;
  readonly hostInfo?: HostInfoConfig;
  readonly registry: RegistryConfig;
  readonly histogramMode: HistogramMode;
  readonly nativeHistogram: NativeHistogramConfig;
  /** Exemplar label name; default `traceID`. */
  readonly traceIdLabelName: string;
  /** Spans whose end time is outside now ± slack are dropped before every processor. */
  readonly ingestionSlackMs: number;
  readonly remoteWriteHeaders: Readonly<Record<string, string>>;
}

export interface SelfMonitoringConfig {
  readonly enabled: boolean;
  /** Name of the remote_write endpoint to send to; '' = the first one. */
  readonly remoteWriteEndpoint: string;
  /** Tenant the self-metrics are sent as; '' = none added (the endpoint's own headers decide). */
  readonly tenant: string;
  readonly externalLabels: Readonly<Record<string, string>>;
}

/** Process-wide settings (the `metrics_generator:` block minus per-tenant overrides). */
export interface GeneratorConfig {
  readonly codec: Codec;
  /** Record header holding the tenant for the otlp codec. */
  readonly tenantHeader: string;
  /** Tenant used for otlp records without the header; '' = such records are bad records. */
  readonly defaultTenant: string;
  readonly remoteWrite: readonly RemoteWriteEndpoint[];
  readonly remoteWriteAddOrgIdHeader: boolean;
  /** Where the generator's own metrics go (absent in hand-built test configs = off). */
  readonly selfMonitoring?: SelfMonitoringConfig;
  /** Resolve the effective config of one tenant (cached). */
  tenant(tenantId: string): TenantConfig;
  /** `overrides.per_tenant_override_period`: how often a config source re-reads the config (ms). */
  readonly perTenantOverridePeriodMs?: number;
  /** The resolved path of `overrides.per_tenant_override_config`, when set. */
  readonly perTenantOverrideFile?: string;
}
