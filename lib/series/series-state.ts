// The registry's series in memory, shaped for size (a flusher holds a million of them):
// - the series of one label set (calls, latency and size of a span-metrics label set) share one
//   Entity holding the labels and the key text; a series' own key is its metric name followed by
//   the entity's key, built only when asked for;
// - every series is an instance of its metric type's class (counter.ts, gauge.ts, histogram.ts),
//   so all series of a kind share one hidden class with their fields in the object (objects
//   spread from a common literal got a hidden class and an out-of-object property array each);
// - a classic histogram's pending exemplars are a flat record array (classic-exemplars.ts).
// Everything that affects what is sent next round-trips through the type's snapshot.

import type { Labels, SeriesIncrement } from './types.ts';

/** The metric types a registry holds, as named by the increments. */
export type SeriesType = SeriesIncrement['type'];

/** What every series holds, whatever its type; its type's module holds the values. */
export abstract class SeriesState {
  lastUpdatedMs = 0;
  /** Active-series cost (Tempo's per-series cost); kept current when histogram parts change. */
  cost = 0;
  /** Demand-estimate window step this series was last counted in (-1: none; not saved). */
  demandStep = -1;

  constructor(
    readonly entity: Entity,
    readonly name: string,
    /** The `{metric_overflow="true"}` series of its metric: never counted against the limit. */
    readonly overflow: boolean,
  ) {}

  /** On the prototype of each type's class: no field per series. */
  abstract get type(): SeriesType;

  /** seriesKey(name, labels), the series identity. */
  get key(): string {
    return this.name + this.entity.key;
  }

  get labels(): Labels {
    return this.entity.labels;
  }
}

/** One label set and its series: the entity of the entity limiter. */
export class Entity {
  /**
   * Its series in creation order (a handful: one per metric over this label set). Replaced, not
   * pushed to, when one is added: a pushed array keeps room for 16 more.
   */
  series: readonly SeriesState[] = [];
  /** Its series counted against the limits (all but overflow series). */
  counted = 0;

  constructor(
    /** seriesKey('', labels). */
    readonly key: string,
    /** Sorted, without __name__ and external labels. */
    readonly labels: Labels,
  ) {}

  find(name: string): SeriesState | undefined {
    const series = this.series;
    for (let i = 0; i < series.length; i++) if (series[i].name === name) return series[i];
    return undefined;
  }
}
