// The resolved configuration the rest of the code reads. lib/config turns Tempo-style YAML
// (metrics_generator + overrides) into these shapes; nothing else parses config.

import type { SelfMonitoringConfig } from './self-monitoring-config.ts';
import type { HistogramMode } from '../series/types.ts';
import type { RelabelConfig } from '../remote-write/relabel-config.ts';

export type Codec = 'push-bytes' | 'otlp';

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

export interface BasicAuth {
  readonly username: string;
  readonly password?: string;
  readonly passwordFile?: string;
}
/** Prometheus' tls_config; PEM text inline or in files (a file may be `secretsmanager:<ref>`). */
export interface TlsSettings {
  readonly ca?: string;
  readonly caFile?: string;
  readonly cert?: string;
  readonly certFile?: string;
  readonly key?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify: boolean;
  readonly minVersion?: TlsVersion;
  readonly maxVersion?: TlsVersion;
}
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** proxy_url / no_proxy / proxy_from_environment / proxy_connect_header. */
export interface ProxySettings {
  readonly url?: string;
  readonly noProxy?: string;
  readonly fromEnvironment: boolean;
  readonly connectHeaders: Readonly<Record<string, string>>;
}

/** oauth2 client credentials grant. */
export interface OAuth2Settings {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly clientSecretFile?: string;
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  readonly endpointParams: Readonly<Record<string, string>>;
  readonly tls?: TlsSettings;
  readonly proxy?: ProxySettings;
}

export interface HttpHeaderValues {
  readonly values: readonly string[];
  /** Literal secret values (Prometheus keeps them out of its logs; so does this). */
  readonly secrets: readonly string[];
  /** Files (or `secretsmanager:` references) each holding one value. */
  readonly files: readonly string[];
}

export interface SigV4Config {
  readonly region?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly profile?: string;
  readonly roleArn?: string;
}
export interface RemoteWriteEndpoint {
  readonly url: string;
  readonly name?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly basicAuth?: BasicAuth;
  readonly bearerToken?: string;
  readonly bearerTokenFile?: string;
  readonly sigv4?: SigV4Config;
  readonly tls?: TlsSettings;
  readonly proxy?: ProxySettings;
  readonly oauth2?: OAuth2Settings;
  /** Prometheus' http_headers: values given, read from Secrets Manager or read from files. */
  readonly httpHeaders?: Readonly<Record<string, HttpHeaderValues>>;
  readonly remoteTimeoutMs: number;
  readonly maxSamplesPerSend: number;
  /** Prometheus' write_relabel_configs, applied to every series before it is sent. */
  readonly writeRelabelConfigs?: readonly RelabelConfig[];
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
