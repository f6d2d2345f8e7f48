// The counter metric type (Tempo: modules/generator/registry/counter.go): a cumulative value
// that only grows, sent with an initial zero the first time (so rate() sees the first increment).

import { type PlainState, plainType } from './plain-series.ts';
import { SeriesState } from './series-state.ts';
import type { CounterSnapshot } from './registry-state.ts';
import type { CounterIncrement } from './types.ts';

export class CounterState extends SeriesState implements PlainState {
  value = 0;
  sent = false;

  override get type(): 'counter' {
    return 'counter';
  }
}

export const counterType = plainType<CounterState, CounterIncrement, CounterSnapshot>({
  check(inc, entityKey) {
    if (!(inc.value >= 0))
      throw new RangeError(`counter ${inc.name + entityKey}: increment must be >= 0, got ${inc.value}`);
  },
  needsZero: (s) => !s.sent,
  create: (entity, name, overflow) => new CounterState(entity, name, overflow),
  fold(s, inc, _created, _settings, nowMs) {
    s.value += inc.value;
    s.lastUpdatedMs = nowMs;
  },
  // zeroSent: a counter is first sent with its initial zero.
  snapshot: (s, common) => ({ ...common, type: 'counter', value: s.value, zeroSent: s.sent }),
  restore(s, snap) {
    s.value = snap.value;
    s.sent = snap.zeroSent;
  },
});
