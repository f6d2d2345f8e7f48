// metrics_generator.processor.host_info and its per-tenant overrides
// (Tempo: modules/generator/processor/hostinfo/config.go).

import { labelName, labelNameProblem } from './common-specs.ts';
import { DEFAULT_HOST_IDENTIFIERS, DEFAULT_HOST_INFO_METRIC_NAME } from './defaults.ts';
import { listOf, object, refine, section, string, withDefault } from './schema.ts';
import type { ObjectOf } from './schema.ts';
import type { HostInfoConfig } from './types.ts';

const hostIdentifiers = () =>
  refine(listOf(string()), (ids) => (ids.length === 0 ? 'at least one host identifier is required' : undefined));

export const hostInfoGlobalSpec = section({
  host_identifiers: withDefault<readonly string[]>(hostIdentifiers(), DEFAULT_HOST_IDENTIFIERS),
  metric_name: withDefault(labelName(), DEFAULT_HOST_INFO_METRIC_NAME),
});

export const hostInfoOverrideSpec = object({
  host_identifiers: hostIdentifiers(),
  // '' means "not set" in Tempo's overrides, so only a non-empty name is checked.
  metric_name: refine(string(), (s) => (s === '' ? undefined : labelNameProblem(s))),
});

export type HostInfoOverride = ObjectOf<typeof hostInfoOverrideSpec.shape>;

export function hostInfoSettings(g: ObjectOf<typeof hostInfoGlobalSpec.shape>): HostInfoConfig {
  return { hostIdentifiers: g.host_identifiers, metricName: g.metric_name };
}

export function applyHostInfoOverride(b: HostInfoConfig, o: HostInfoOverride | undefined): HostInfoConfig {
  if (o === undefined) return b;
  return { hostIdentifiers: o.host_identifiers ?? b.hostIdentifiers, metricName: o.metric_name || b.metricName };
}
