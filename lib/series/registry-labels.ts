// The label set each folded increment is stored under: the label stages for non-info metrics
// (Tempo builds info metrics, target_info and host_info, with a label builder that skips them:
// registry.go NewInfoMetricLabelBuilder), and the keys the registry and its limiters use.

import type { Labels, SeriesIncrement } from './types.ts';

// key = seriesKey(name, labels), the series identity. Without the name in front it is the label
// set alone (seriesKey('', labels)): the entity of the entity limiter.
import type { LabelPipeline } from './label-pipeline.ts';
import { seriesKey } from './labels.ts';

/** Span metrics' info metric (Tempo: processor/spanmetrics/spanmetrics.go targetInfo). */
export const TARGET_INFO_METRIC = 'traces_target_info';

interface Transformed {
  readonly labels: Labels;
  readonly entityKey: string;
}

/**
 * Calls `each` with every increment under its final labels. One batch often holds several metrics
 * of one label set (calls, latency, size): each distinct label set passes the stages once per batch.
 */
export function forEachPrepared(
  increments: readonly SeriesIncrement[],
  pipeline: LabelPipeline,
  infoMetrics: ReadonlySet<string>,
  nowMs: number,
  each: (inc: SeriesIncrement, key: string) => void,
): void {
  const staged = pipeline.active;
  const seen = new Map<string, Transformed>();
  for (const inc of increments) {
    if (!staged || infoMetrics.has(inc.name)) {
      each(inc, seriesKey(inc.name, inc.labels));
      continue;
    }
    const rawEntityKey = seriesKey('', inc.labels);
    let t = seen.get(rawEntityKey);
    if (t === undefined) {
      const labels = pipeline.transform(inc.labels, nowMs);
      t = { labels, entityKey: labels === inc.labels ? rawEntityKey : seriesKey('', labels) };
      seen.set(rawEntityKey, t);
    }
    each(t.labels === inc.labels ? inc : ({ ...inc, labels: t.labels } as SeriesIncrement), inc.name + t.entityKey);
  }
}
