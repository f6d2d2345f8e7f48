// What counters and gauges share: one float value sent as one time series under the bare metric
// name, one time series of cost, nothing due before a collection, and a flag for "sent at least
// once" (a counter's first collection also sends its initial zero). counter.ts and gauge.ts add
// their checks, whether they owe an initial zero, how an increment folds in, and their snapshot.

import type { MetricType } from './metric-type.ts';
import type { CounterSnapshot, GaugeSnapshot } from './registry-state.ts';
import { baseLabels, NO_EXEMPLARS, named, staleMarker, withZero } from './series-render.ts';
import type { SeriesState } from './series-state.ts';
import type { CounterIncrement, GaugeSet } from './types.ts';

/**
 * A counter's or gauge's series. Each class declares both fields itself rather than inheriting
 * them from a shared class: a deeper class chain made every series creation (fold, restore) slower.
 */
export interface PlainState extends SeriesState {
  value: number;
  /** Collected at least once (its initial zero too, for a counter): it needs a staleness marker. */
  sent: boolean;
}

type PlainIncrement = CounterIncrement | GaugeSet;
type PlainSnapshot = CounterSnapshot | GaugeSnapshot;

/** What a plain type adds to the shared parts. */
export type PlainParts<S extends PlainState, I extends PlainIncrement, P extends PlainSnapshot> = Pick<
  MetricType<S, I, P>,
  'check' | 'needsZero' | 'create' | 'fold' | 'snapshot' | 'restore'
>;

export function plainType<S extends PlainState, I extends PlainIncrement, P extends PlainSnapshot>(
  parts: PlainParts<S, I, P>,
): MetricType<S, I, P> {
  const { needsZero } = parts;
  return {
    ...parts,
    incrementCost: () => 1,
    cost: () => 1,
    beforeCollect() {},
    outdated: () => false,
    wasSent: (s) => s.sent,
    markSent(s) {
      s.sent = true;
    },
    render(s, ctx, t, out) {
      const value = { value: s.value, timestampMs: t.atMs };
      const samples = needsZero(s) ? withZero(t.zeroMs, value) : [value];
      out({ labels: named(baseLabels(s, ctx), s.name, ''), samples, exemplars: NO_EXEMPLARS });
    },
    renderStale(s, ctx, atMs, out) {
      if (s.sent) out(staleMarker(named(baseLabels(s, ctx), s.name, ''), atMs));
    },
  };
}
