// Shared builders for registry tests (not a test file itself).
import type { NativeHistogramConfig, RegistryConfig } from '../../lib/config/types.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import type { RegistryTenantConfig } from '../../lib/series/registry.ts';
import type { CounterIncrement, GaugeSet, HistogramIncrement, Labels } from '../../lib/series/types.ts';
import { newClassicIncrement, observeClassic } from '../../lib/series/classic-histogram.ts';
import { newNativeIncrement, observeNative } from '../../lib/series/native-histogram.ts';

export function config(
  registry: Partial<RegistryConfig> = {},
  native: Partial<NativeHistogramConfig> = {},
  tenant = 'single-tenant',
): RegistryTenantConfig {
  return {
    tenant,
    traceIdLabelName: 'traceID',
    registry: {
      collectionIntervalMs: 15_000,
      staleDurationMs: 15 * 60_000,
      externalLabels: {},
      injectTenantIdAs: '',
      maxLabelNameLength: 1024,
      maxLabelValueLength: 2048,
      maxActiveSeries: 0,
      disableCollection: false,
      ...registry,
    },
    nativeHistogram: { bucketFactor: 1.1, maxBucketNumber: 100, minResetDurationMs: 15 * 60_000, ...native },
  };
}

/** The span-metrics label set of Tempo's test vector TV1. */
export const TV1_LABELS: Readonly<Record<string, string>> = {
  service: 'test-service',
  span_name: 'test',
  span_kind: 'SPAN_KIND_CLIENT',
  status_code: 'STATUS_CODE_OK',
};

export function lbls(record: Record<string, string>): Labels {
  return Object.keys(record)
    .sort()
    .map((name) => ({ name, value: record[name] }));
}

export function counter(name: string, labels: Record<string, string>, value: number): CounterIncrement {
  return { type: 'counter', name, labels: lbls(labels), value };
}

export function gauge(
  name: string,
  labels: Record<string, string>,
  value: number,
  mode: 'set' | 'setIfAbsent' = 'set',
): GaugeSet {
  return { type: 'gauge', name, labels: lbls(labels), value, mode };
}

export interface Observation {
  value: number;
  traceId?: string;
}

/** A histogram increment for one batch, observed like a processor would. */
export function histogram(
  name: string,
  labels: Record<string, string>,
  parts: { bounds?: number[]; nativeSchema?: number },
  observations: Observation[],
): HistogramIncrement {
  const inc: HistogramIncrement = { type: 'histogram', name, labels: lbls(labels) };
  if (parts.bounds !== undefined) {
    inc.classic = newClassicIncrement(parts.bounds);
    for (const o of observations) observeClassic(inc.classic, o.value, 1, o.traceId);
  }
  if (parts.nativeSchema !== undefined) {
    inc.native = newNativeIncrement(parts.nativeSchema);
    for (const o of observations) observeNative(inc.native, o.value, 1, o.traceId);
  }
  return inc;
}

/** Renders labels as the exposition would, for compact assertions. */
export function id(s: CollectedSeries): string {
  const name = s.labels.find((l) => l.name === '__name__')?.value ?? '';
  const rest = s.labels.filter((l) => l.name !== '__name__').map((l) => `${l.name}="${l.value}"`);
  return rest.length === 0 ? name : `${name}{${rest.join(',')}}`;
}

/** id -> [timestamp, value][] for float series. */
export function samplesById(series: readonly CollectedSeries[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of series) out[id(s)] = s.samples.map((p) => [p.timestampMs, p.value]);
  return out;
}
