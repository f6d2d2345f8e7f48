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

/** One label set of a batch as the registry stores it; `slot` is the caller's per-batch cache. */
export interface PreparedLabels<T> {
  readonly labels: Labels;
  readonly entityKey: string;
  slot: T | undefined;
}

/**
 * Calls `each` with every increment under its final labels and their entity key (the series key
 * is the metric name followed by it). One batch often holds several metrics of one label set
 * (calls, latency, size), and the delta decoder hands them one shared label array: each distinct
 * label set is keyed, and passes the stages, once per batch.
 */
export function forEachPrepared<T>(
  increments: readonly SeriesIncrement[],
  pipeline: LabelPipeline,
  infoMetrics: ReadonlySet<string>,
  nowMs: number,
  each: (inc: SeriesIncrement, prepared: PreparedLabels<T>) => void,
): void {
  const staged = pipeline.active;
  // By label array identity first (no key text to build), then by content for the stages.
  // Unstaged (and info metrics) by label array identity: no key text to build for a known array.
  const raw = new Map<Labels, PreparedLabels<T>>();
  // Staged: by array identity, then by content, so the stages see each label set once per batch.
  const byArray = new Map<Labels, PreparedLabels<T>>();
  const seen = new Map<string, PreparedLabels<T>>();
  for (const inc of increments) {
    if (!staged || infoMetrics.has(inc.name)) {
      let p = raw.get(inc.labels);
      if (p === undefined)
        raw.set(inc.labels, (p = { labels: inc.labels, entityKey: seriesKey('', inc.labels), slot: undefined }));
      each(inc, p);
      continue;
    }
    let t = byArray.get(inc.labels);
    if (t === undefined) {
      const rawEntityKey = raw.get(inc.labels)?.entityKey ?? seriesKey('', inc.labels);
      t = seen.get(rawEntityKey);
      if (t === undefined) {
        const labels = pipeline.transform(inc.labels, nowMs);
        t = { labels, entityKey: labels === inc.labels ? rawEntityKey : seriesKey('', labels), slot: undefined };
        seen.set(rawEntityKey, t);
      }
      byArray.set(inc.labels, t);
    }
    each(t.labels === inc.labels ? inc : ({ ...inc, labels: t.labels } as SeriesIncrement), t);
  }
}

/** The label set of the overflow series (an increment may carry it itself). */
export function isOverflowLabels(labels: Labels): boolean {
  return labels.length === 1 && labels[0].name === 'metric_overflow' && labels[0].value === 'true';
}
