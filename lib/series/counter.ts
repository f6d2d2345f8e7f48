// The counter metric type (Tempo: modules/generator/registry/counter.go): a cumulative value
// that only grows, sent with an initial zero the first time (so rate() sees the first increment).

import type { MetricType } from './metric-type.ts';
import type { CounterSnapshot } from './registry-state.ts';
import { baseLabels, named, renderPlain, staleMarker, withZero } from './series-render.ts';
import { SeriesState } from './series-state.ts';
import type { CounterIncrement } from './types.ts';

export class CounterState extends SeriesState {
  value = 0;
  zeroSent = false;

  override get type(): 'counter' {
    return 'counter';
  }
}

export const counterType: MetricType<CounterState, CounterIncrement, CounterSnapshot> = {
  type: 'counter',
  check(inc, entityKey) {
    if (!(inc.value >= 0))
      throw new RangeError(`counter ${inc.name + entityKey}: increment must be >= 0, got ${inc.value}`);
  },
  incrementCost: () => 1,
  create: (entity, name, overflow) => new CounterState(entity, name, overflow),
  fold(s, inc, _created, _settings, nowMs) {
    s.value += inc.value;
    s.lastUpdatedMs = nowMs;
  },
  cost: () => 1,
  beforeCollect() {},
  outdated: () => false,
  needsZero: (s) => !s.zeroSent,
  wasSent: (s) => s.zeroSent,
  markSent(s) {
    s.zeroSent = true;
  },
  render(s, ctx, t, out) {
    renderPlain(s, ctx, withZero(s.zeroSent ? undefined : t.zeroMs, { value: s.value, timestampMs: t.atMs }), out);
  },
  renderStale(s, ctx, atMs, out) {
    if (s.zeroSent) out(staleMarker(named(baseLabels(s, ctx), s.name, ''), atMs));
  },
  snapshot: (s, common) => ({ ...common, type: 'counter', value: s.value, zeroSent: s.zeroSent }),
  restore(s, snap) {
    s.value = snap.value;
    s.zeroSent = snap.zeroSent;
  },
};
