// One overrides entry (or none) + the global block -> everything a tenant runs with.
// The entry replaces `overrides.defaults` as a whole, as in Tempo: a key it does not set takes
// Tempo's code default, not the defaults entry's value. The one exception is Tempo's own: the
// three native_histogram_* keys fall back to the defaults entry when unset (0).

import { joinPath } from './errors.ts';
import {
  DEFAULT_NATIVE_HISTOGRAM_BUCKET_FACTOR,
  DEFAULT_NATIVE_HISTOGRAM_MAX_BUCKET_NUMBER,
  DEFAULT_NATIVE_HISTOGRAM_MIN_RESET_DURATION_MS,
  DEFAULT_TRACE_ID_LABEL_NAME,
} from './defaults.ts';
import { applyHostInfoOverride } from './host-info-config.ts';
import { QUERIES_ELSEWHERE } from './ignored-keys.ts';
import type { OverridesEntry } from './overrides-config.ts';
import { selectProcessors, SUPPORTED_PROCESSORS } from './processor-names.ts';
import { applyServiceGraphsOverride } from './service-graphs-config.ts';
import type { ServiceGraphsSettings } from './service-graphs-config.ts';
import { applySpanMetricsOverride, checkSpanMetricsLabels } from './span-metrics-config.ts';
import type { SpanMetricsSettings } from './span-metrics-config.ts';
import type { HostInfoConfig, RegistryConfig, TenantConfig } from './types.ts';

/** What the global `metrics_generator:` block contributes to every tenant. */
export interface GlobalTenantDefaults {
  readonly spanMetrics: SpanMetricsSettings;
  readonly serviceGraphs: ServiceGraphsSettings;
  readonly hostInfo: HostInfoConfig;
  readonly registry: Omit<
    RegistryConfig,
    'maxActiveSeries' | 'disableCollection' | 'maxActiveEntities' | 'spanNameSanitization' | 'maxCardinalityPerLabel'
  >;
  readonly ingestionSlackMs: number;
}

export type TenantSettings = Omit<TenantConfig, 'tenant'>;

/** Tempo's TraceQL-metrics processor: a valid name in Tempo, with nothing to do here. */
const LOCAL_BLOCKS = 'local-blocks';

/**
 * @param entryPath dotted path of the entry (`overrides.tenant-a`), '' when no entry applies.
 * @param warn receives one message per unknown processor name.
 */
export function resolveTenantSettings(
  g: GlobalTenantDefaults,
  entry: OverridesEntry | undefined,
  defaultsEntry: OverridesEntry | undefined,
  entryPath: string,
  warn: (message: string) => void,
): TenantSettings {
  const o = entry?.metrics_generator;
  const path = joinPath(entryPath, 'metrics_generator');
  const processorPath = joinPath(path, 'processor');

  const selection = selectProcessors(o?.processors ?? [], (name) =>
    warn(
      name === LOCAL_BLOCKS
        ? `${joinPath(path, 'processors')}: processor "${name}" ignored (${QUERIES_ELSEWHERE})`
        : `${joinPath(path, 'processors')}: unknown processor "${name}" ignored (valid: ${SUPPORTED_PROCESSORS.join(', ')})`,
    ),
  );

  // Configured buckets hold even when only sub-names are listed (a deliberate difference from
  // Tempo, which falls back to its default buckets there).
  const spanMetrics = applySpanMetricsOverride(
    g.spanMetrics,
    o?.processor?.span_metrics,
    joinPath(processorPath, 'span_metrics'),
  );
  checkSpanMetricsLabels(spanMetrics);
  const serviceGraphs = applyServiceGraphsOverride(g.serviceGraphs, o?.processor?.service_graphs);
  const hostInfo = applyHostInfoOverride(g.hostInfo, o?.processor?.host_info);

  const d = defaultsEntry?.metrics_generator;
  return {
    processors: selection.names,
    ...(selection.spanMetrics && { spanMetrics: { ...spanMetrics.config, subprocessors: selection.spanMetrics } }),
    ...(selection.serviceGraphs && { serviceGraphs: { ...serviceGraphs, subprocessors: selection.serviceGraphs } }),
    ...(selection.hostInfo && { hostInfo }),
    registry: {
      ...g.registry,
      collectionIntervalMs: o?.collection_interval || g.registry.collectionIntervalMs,
      maxActiveSeries: o?.max_active_series ?? 0,
      disableCollection: o?.disable_collection ?? false,
      maxActiveEntities: o?.max_active_entities ?? 0,
      // Tempo falls back to the defaults entry for this one key (runtime_config_overrides.go).
      spanNameSanitization: o?.span_name_sanitization || d?.span_name_sanitization || '',
      maxCardinalityPerLabel: o?.max_cardinality_per_label ?? 0,
    },
    histogramMode: o?.generate_native_histograms || 'classic',
    nativeHistogram: {
      bucketFactor:
        o?.native_histogram_bucket_factor ||
        d?.native_histogram_bucket_factor ||
        DEFAULT_NATIVE_HISTOGRAM_BUCKET_FACTOR,
      maxBucketNumber:
        o?.native_histogram_max_bucket_number ||
        d?.native_histogram_max_bucket_number ||
        DEFAULT_NATIVE_HISTOGRAM_MAX_BUCKET_NUMBER,
      minResetDurationMs:
        o?.native_histogram_min_reset_duration ||
        d?.native_histogram_min_reset_duration ||
        DEFAULT_NATIVE_HISTOGRAM_MIN_RESET_DURATION_MS,
    },
    traceIdLabelName: o?.trace_id_label_name || DEFAULT_TRACE_ID_LABEL_NAME,
    ingestionSlackMs: o?.ingestion_time_range_slack || g.ingestionSlackMs,
    remoteWriteHeaders: o?.remote_write_headers ?? {},
  };
}
