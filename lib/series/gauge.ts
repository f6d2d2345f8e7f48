// The gauge metric type (Tempo: modules/generator/registry/gauge.go): a value that is set, sent
// as is (no initial zero). `setIfAbsent` is Tempo's SetForTargetInfo: an existing series keeps
// its value and its lastUpdated, so it goes stale stale_duration after creation.

import { type PlainState, plainType } from './plain-series.ts';
import { SeriesState } from './series-state.ts';
import type { GaugeSnapshot } from './registry-state.ts';
import type { GaugeSet } from './types.ts';

export class GaugeState extends SeriesState implements PlainState {
  value = 0;
  /** Collected at least once (so it needs a staleness marker when removed). */
  sent = false;

  override get type(): 'gauge' {
    return 'gauge';
  }
}

export const gaugeType = plainType<GaugeState, GaugeSet, GaugeSnapshot>({
  check() {},
  needsZero: () => false,
  create: (entity, name, overflow) => new GaugeState(entity, name, overflow),
  fold(s, inc, created, _settings, nowMs) {
    if (inc.mode === 'setIfAbsent' && !created) return;
    s.value = inc.value;
    s.lastUpdatedMs = nowMs;
  },
  snapshot: (s, common) => ({ ...common, type: 'gauge', value: s.value, sent: s.sent }),
  restore(s, snap) {
    s.value = snap.value;
    s.sent = snap.sent;
  },
});
