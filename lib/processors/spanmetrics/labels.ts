// Label names of the span-metrics series (Tempo: modules/generator/processor/spanmetrics/spanmetrics.go),
// fixed per processor instance.

import type { SpanMetricsConfig } from '../../config/types.ts';
import { dimensionLabelName, sanitizeLabelName } from '../../config/index.ts';

export const INTRINSIC_NAMES = ['service', 'span_name', 'span_kind', 'status_code', 'status_message'] as const;
const TARGET_INFO_RESERVED = new Set<string>([...INTRINSIC_NAMES, 'job', 'instance']);

/** target_info label for a resource attribute: sanitized, `__` before intrinsic, job and instance names. */
export function targetInfoLabelName(attribute: string): string {
  const name = sanitizeLabelName(attribute);
  return TARGET_INFO_RESERVED.has(name) ? '__' + name : name;
}

/** The label names in insertion order: intrinsics, dimensions, mappings (job/instance come after). */
export function spanMetricsLabelNames(cfg: SpanMetricsConfig): string[] {
  const names: string[] = [];
  for (const n of INTRINSIC_NAMES) if (cfg.intrinsicDimensions[n]) names.push(n);
  for (const d of cfg.dimensions) names.push(dimensionLabelName(d));
  for (const m of cfg.dimensionMappings) names.push(dimensionLabelName(m.name));
  return names;
}
