// Label names of the span-metrics series (spec 2.3), fixed per processor instance.

import type { SpanMetricsConfig } from '../../config/types.ts';
import { sanitizeLabelName } from '../../config/label-name.ts';

export const INTRINSIC_NAMES = ['service', 'span_name', 'span_kind', 'status_code', 'status_message'] as const;
const TARGET_INFO_RESERVED = new Set<string>([...INTRINSIC_NAMES, 'job', 'instance']);
const INTRINSICS = new Set<string>(INTRINSIC_NAMES);

/** Sanitized name, prefixed `__` when it collides with an intrinsic (even a disabled one). */
export function dimensionLabelName(attribute: string): string {
  const name = sanitizeLabelName(attribute);
  return INTRINSICS.has(name) ? '__' + name : name;
}

/** Same rule for target_info, where job and instance are reserved too. */
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
