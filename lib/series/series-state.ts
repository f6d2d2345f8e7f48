// The registry's series in memory, shaped for size (a flusher holds a million of them):
// - the series of one label set (calls, latency and size of a span-metrics label set) share one
//   Entity holding the labels and the key text; a series' own key is its metric name followed by
//   the entity's key, built only when asked for;
// - every series is a class instance, so all series of a kind share one hidden class with their
//   fields in the object (objects spread from a common literal got a hidden class and an
//   out-of-object property array each);
// - a classic histogram's pending exemplars are a flat record array (classic-exemplars.ts).
// Everything that affects what is sent next round-trips through registry-state.ts's snapshot.

import type { PendingExemplarHolder } from './classic-exemplars.ts';
import type { NativeState } from './native-series.ts';
import type { Labels } from './types.ts';

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

abstract class SeriesBase {
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

  /** seriesKey(name, labels), the series identity. */
  get key(): string {
    return this.name + this.entity.key;
  }

  get labels(): Labels {
    return this.entity.labels;
  }
}

export class CounterState extends SeriesBase {
  value = 0;
  zeroSent = false;

  get type(): 'counter' {
    return 'counter';
  }
}

export class GaugeState extends SeriesBase {
  value = 0;
  /** Collected at least once (so it needs a staleness marker when removed). */
  sent = false;

  get type(): 'gauge' {
    return 'gauge';
  }
}

export class ClassicState implements PendingExemplarHolder {
  exemplars: number[] | undefined = undefined;
  exemplarTexts: string[] | undefined = undefined;

  constructor(
    public bounds: readonly number[],
    /** Non-cumulative: counts[i] for bounds[i], counts[bounds.length] for +Inf. */
    public counts: number[],
    public sum: number,
    public count: number,
    public zeroSent: boolean,
  ) {}
}

export class HistogramState extends SeriesBase {
  classic: ClassicState | undefined = undefined;
  native: NativeState | undefined = undefined;

  get type(): 'histogram' {
    return 'histogram';
  }
}

export type SeriesState = CounterState | GaugeState | HistogramState;
export type SeriesType = SeriesState['type'];

/** An empty series of a type; the caller folds its first increment in. */
export function newSeries(type: SeriesType, entity: Entity, name: string, overflow: boolean): SeriesState {
  switch (type) {
    case 'counter':
      return new CounterState(entity, name, overflow);
    case 'gauge':
      return new GaugeState(entity, name, overflow);
    case 'histogram':
      return new HistogramState(entity, name, overflow);
  }
}
