// Tempo's registry self-metrics for the limiters and cardinality controls, as EMF metrics with the
// same meaning (names in README "Cardinality controls"). Counters are published as what was
// added since the previous publication; gauges as their current value. Which ones appear follows
// Tempo: the series or the entity family depending on limiter_type, demand estimates always,
// sanitization and per-label metrics only while those controls are on.

import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { MetricName } from '../metrics/names.ts';
import type { Registry } from './registry.ts';

export function publishRegistryMetrics(tenant: string, registry: Registry, metrics: MetricsRecorder): void {
  const { limits, pipeline } = registry.cardinality;
  const dims = { tenant };
  const add = (name: MetricName, value: number, d: Record<string, string> = dims): void => {
    if (value > 0) metrics.add(name, value, 'Count', d);
  };
  const c = limits.takeCounts();
  if (limits.entityLimiter) {
    add('RegistryEntitiesLimited', c.entitiesLimited);
    add('RegistryEntitiesAdded', c.entitiesAdded);
    add('RegistryEntitiesRemoved', c.entitiesRemoved);
    metrics.set('RegistryActiveEntities', limits.activeEntities, 'Count', dims);
    metrics.set('RegistryMaxActiveEntities', limits.maxActive, 'Count', dims);
  } else {
    add('RegistrySeriesLimited', c.seriesLimited);
    add('RegistrySeriesAdded', c.seriesAdded);
    add('RegistrySeriesRemoved', c.seriesRemoved);
    metrics.set('RegistryActiveSeries', registry.activeSeries, 'Count', dims);
    metrics.set('RegistryMaxActiveSeries', limits.maxActive, 'Count', dims);
  }
  metrics.set('RegistryActiveSeriesDemandEstimate', limits.seriesDemandEstimate(), 'Count', dims);
  metrics.set('RegistryEntityDemandEstimate', limits.entityDemandEstimate(), 'Count', dims);

  const counts = pipeline.counts;
  add('RegistrySpansSanitized', counts.spansSanitized);
  counts.spansSanitized = 0;
  const postSanitization = pipeline.postSanitizationDemandEstimate();
  if (postSanitization !== undefined)
    metrics.set('RegistryPostSanitizationDemandEstimate', postSanitization, 'Count', dims);
  const drain = pipeline.drainCounters;
  if (drain !== undefined) {
    add('RegistryDrainPatternsDetected', drain.patternsDetected);
    add('RegistryDrainPatternsEvicted', drain.patternsEvicted);
    for (const [reason, n] of Object.entries(drain.linesSkipped))
      add('RegistryDrainLinesSkipped', n, { tenant, reason });
    drain.patternsDetected = 0;
    drain.patternsEvicted = 0;
    for (const reason of Object.keys(drain.linesSkipped) as (keyof typeof drain.linesSkipped)[])
      drain.linesSkipped[reason] = 0;
  }
  for (const [label, n] of counts.labelValuesLimited)
    add('RegistryLabelValuesLimited', n, { tenant, label_name: label });
  counts.labelValuesLimited.clear();
  for (const [label, estimate] of pipeline.labelDemandEstimates()) {
    metrics.set('RegistryLabelCardinalityDemandEstimate', estimate, 'Count', { tenant, label_name: label });
  }
}
