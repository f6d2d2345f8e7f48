// The label set each folded increment is stored under: the label stages for non-info metrics
// (Tempo builds info metrics, target_info and host_info, with a label builder that skips them:
// registry.go NewInfoMetricLabelBuilder), and the keys the registry and its limiters use.

import type { Labels, SeriesIncrement } from './types.ts';
import type { LabelPipeline } from './label-pipeline.ts';
import { seriesKey } from './labels.ts';

/** Span metrics' info metric (Tempo: processor/spanmetrics/spanmetrics.go targetInfo). */
export const TARGET_INFO_METRIC = 'traces_target_info';

export interface PreparedIncrement {
  readonly inc: SeriesIncrement;
  /** The series identity, seriesKey(name, labels). */
  readonly key: string;
  /** The label set without the metric name: the entity of the entity limiter. */
  readonly entityKey: string;
}

interface Transformed {
  readonly labels: Labels;
  readonly entityKey: string;
}

/**
 * Yields the increments with their final labels. One batch often holds several metrics of one
 * label set (calls, latency, size): each distinct label set passes the stages once per batch.
 */
export function* prepareIncrements(
  increments: readonly SeriesIncrement[],
  pipeline: LabelPipeline,
  infoMetrics: ReadonlySet<string>,
  nowMs: number,
): Generator<PreparedIncrement> {
  const staged = pipeline.active;
  const seen = new Map<string, Transformed>();
  for (const inc of increments) {
    const rawEntityKey = seriesKey('', inc.labels);
    if (!staged || infoMetrics.has(inc.name)) {
      yield { inc, key: inc.name + rawEntityKey, entityKey: rawEntityKey };
      continue;
    }
    let t = seen.get(rawEntityKey);
    if (t === undefined) {
      const labels = pipeline.transform(inc.labels, nowMs);
      t = { labels, entityKey: labels === inc.labels ? rawEntityKey : seriesKey('', labels) };
      seen.set(rawEntityKey, t);
    }
    const stored = t.labels === inc.labels ? inc : ({ ...inc, labels: t.labels } as SeriesIncrement);
    yield { inc: stored, key: inc.name + t.entityKey, entityKey: t.entityKey };
  }
}
