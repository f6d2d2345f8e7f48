// metrics_generator.processor.span_metrics and its per-tenant overrides
// (Tempo: modules/generator/processor/spanmetrics/config.go, modules/overrides/config.go).

import { fail, indexPath, joinPath } from './errors.ts';
import { dimensionList, dimensionMappings, histogramBuckets } from './common-specs.ts';
import { DEFAULT_SPAN_METRICS_BUCKETS, INTRINSIC_DIMENSIONS } from './defaults.ts';
import { filterPolicies } from './filter-policies.ts';
import { sanitizeLabelName } from './label-name.ts';
import { bool, ignored, listOf, mapOf, object, section, string, withDefault } from './schema.ts';
import type { ObjectOf } from './schema.ts';
import type { DimensionMapping, FilterPolicy, IntrinsicDimensions, SpanMetricsConfig } from './types.ts';

export const spanMetricsGlobalSpec = section({
  histogram_buckets: withDefault<readonly number[]>(histogramBuckets('sorted'), DEFAULT_SPAN_METRICS_BUCKETS),
  intrinsic_dimensions: section({
    service: withDefault(bool(), true),
    span_name: withDefault(bool(), true),
    span_kind: withDefault(bool(), true),
    status_code: withDefault(bool(), true),
    status_message: withDefault(bool(), false),
  }),
  dimensions: withDefault<readonly string[]>(dimensionList(), []),
  dimension_mappings: withDefault<readonly DimensionMapping[]>(dimensionMappings(), []),
  enable_target_info: withDefault(bool(), false),
  target_info_excluded_dimensions: withDefault<readonly string[]>(listOf(string()), []),
  enable_instance_label: withDefault(bool(), true),
  span_multiplier_key: withDefault(string(), ''),
  enable_tracestate_span_multiplier: withDefault(bool(), false),
  filter_policies: withDefault<readonly FilterPolicy[]>(filterPolicies(), []),
  // Written by Tempo's /status/config up to 3.0.3 (a field without a YAML tag); the processors
  // list decides the subprocessors.
  subprocessors: ignored(),
});

export const spanMetricsOverrideSpec = object(
  {
    histogram_buckets: histogramBuckets(),
    dimensions: dimensionList(),
    intrinsic_dimensions: mapOf(bool(), (k) =>
      (INTRINSIC_DIMENSIONS as readonly string[]).includes(k)
        ? undefined
        : `not a valid intrinsic dimension; valid: ${INTRINSIC_DIMENSIONS.join(', ')}`,
    ),
    filter_policies: filterPolicies(),
    dimension_mappings: dimensionMappings(),
    enable_target_info: bool(),
    target_info_excluded_dimensions: listOf(string()),
    enable_instance_label: bool(),
    span_multiplier_key: string(),
    enable_tracestate_span_multiplier: bool(),
  },
  // Tempo's JSON tag for this key is misspelled; accept both so its JSON overrides load.
  { aliases: { dimension_mapings: 'dimension_mappings' } },
);

export type SpanMetricsOverride = ObjectOf<typeof spanMetricsOverrideSpec.shape>;

/** Span-metrics settings before the processor list picks the subprocessors. */
export interface SpanMetricsSettings {
  readonly config: Omit<SpanMetricsConfig, 'subprocessors'>;
  /** Where `dimensions` and `dimension_mappings` came from, to name them in collision errors. */
  readonly dimensionsPath: string;
  readonly dimensionMappingsPath: string;
}

export function spanMetricsSettings(
  g: ObjectOf<typeof spanMetricsGlobalSpec.shape>,
  path: string,
): SpanMetricsSettings {
  const i = g.intrinsic_dimensions;
  return {
    config: {
      histogramBuckets: g.histogram_buckets,
      intrinsicDimensions: {
        service: i.service,
        span_name: i.span_name,
        span_kind: i.span_kind,
        status_code: i.status_code,
        status_message: i.status_message,
      },
      dimensions: g.dimensions,
      dimensionMappings: g.dimension_mappings,
      enableTargetInfo: g.enable_target_info,
      targetInfoExcludedDimensions: g.target_info_excluded_dimensions,
      enableInstanceLabel: g.enable_instance_label,
      spanMultiplierKey: g.span_multiplier_key,
      enableTracestateSpanMultiplier: g.enable_tracestate_span_multiplier,
      filterPolicies: g.filter_policies,
    },
    dimensionsPath: joinPath(path, 'dimensions'),
    dimensionMappingsPath: joinPath(path, 'dimension_mappings'),
  };
}

/**
 * Tempo's copyWithOverrides for span metrics: lists replace when set, `*bool`s replace when set,
 * span_multiplier_key replaces when non-empty, intrinsic_dimensions merge onto the global ones.
 */
export function applySpanMetricsOverride(
  base: SpanMetricsSettings,
  o: SpanMetricsOverride | undefined,
  path: string,
): SpanMetricsSettings {
  if (o === undefined) return base;
  const b = base.config;
  const intrinsicDimensions: IntrinsicDimensions = { ...b.intrinsicDimensions, ...o.intrinsic_dimensions };
  return {
    config: {
      histogramBuckets: o.histogram_buckets ?? b.histogramBuckets,
      intrinsicDimensions,
      dimensions: o.dimensions ?? b.dimensions,
      dimensionMappings: o.dimension_mappings ?? b.dimensionMappings,
      enableTargetInfo: o.enable_target_info ?? b.enableTargetInfo,
      targetInfoExcludedDimensions: o.target_info_excluded_dimensions ?? b.targetInfoExcludedDimensions,
      enableInstanceLabel: o.enable_instance_label ?? b.enableInstanceLabel,
      spanMultiplierKey: o.span_multiplier_key || b.spanMultiplierKey,
      enableTracestateSpanMultiplier: o.enable_tracestate_span_multiplier ?? b.enableTracestateSpanMultiplier,
      filterPolicies: o.filter_policies ?? b.filterPolicies,
    },
    dimensionsPath: o.dimensions === undefined ? base.dimensionsPath : joinPath(path, 'dimensions'),
    dimensionMappingsPath:
      o.dimension_mappings === undefined ? base.dimensionMappingsPath : joinPath(path, 'dimension_mappings'),
  };
}

/** A dimension label as span metrics name it: sanitized, `__`-prefixed when it equals an intrinsic. */
export function dimensionLabelName(attribute: string): string {
  const name = sanitizeLabelName(attribute);
  return (INTRINSIC_DIMENSIONS as readonly string[]).includes(name) ? `__${name}` : name;
}

/**
 * Tempo's ValidateDimensions: a dimension mapping may not produce the label of an enabled
 * intrinsic, of a dimension, or of an earlier mapping (dimensions may collide among themselves).
 */
export function checkSpanMetricsLabels(s: SpanMetricsSettings): void {
  const seen = new Map<string, string>();
  for (const d of INTRINSIC_DIMENSIONS) if (s.config.intrinsicDimensions[d]) seen.set(d, `intrinsic dimension "${d}"`);
  for (const d of s.config.dimensions) seen.set(dimensionLabelName(d), `dimension "${d}" (${s.dimensionsPath})`);
  s.config.dimensionMappings.forEach((m, i) => {
    const label = dimensionLabelName(m.name);
    const other = seen.get(label);
    if (other !== undefined) {
      fail(
        joinPath(indexPath(s.dimensionMappingsPath, i), 'name'),
        `mapping "${m.name}" produces label "${label}" which collides with ${other}`,
      );
    }
    seen.set(label, `dimension mapping "${m.name}"`);
  });
}
