// The gauge metric type (Tempo: modules/generator/registry/gauge.go): a value that is set, sent
// as is (no initial zero). `setIfAbsent` is Tempo's SetForTargetInfo: an existing series keeps
// its value and its lastUpdated, so it goes stale stale_duration after creation.

import type { MetricType } from './metric-type.ts';
import type { GaugeSnapshot } from './registry-state.ts';
import { baseLabels, named, renderPlain, staleMarker } from './series-render.ts';
import { SeriesState } from './series-state.ts';
import type { GaugeSet } from './types.ts';

export class GaugeState extends SeriesState {
  value = 0;
  /** Collected at least once (so it needs a staleness marker when removed). */
  sent = false;

  override get type(): 'gauge' {
    return 'gauge';
  }
}

export const gaugeType: MetricType<GaugeState, GaugeSet, GaugeSnapshot> = {
  type: 'gauge',
  check() {},
  incrementCost: () => 1,
  create: (entity, name, overflow) => new GaugeState(entity, name, overflow),
  fold(s, inc, created, _settings, nowMs) {
    if (inc.mode === 'setIfAbsent' && !created) return;
    s.value = inc.value;
    s.lastUpdatedMs = nowMs;
  },
  cost: () => 1,
  beforeCollect() {},
  outdated: () => false,
  needsZero: () => false,
  wasSent: (s) => s.sent,
  markSent(s) {
    s.sent = true;
  },
  render(s, ctx, t, out) {
    renderPlain(s, ctx, [{ value: s.value, timestampMs: t.atMs }], out);
  },
  renderStale(s, ctx, atMs, out) {
    if (s.sent) out(staleMarker(named(baseLabels(s, ctx), s.name, ''), atMs));
  },
  snapshot: (s, common) => ({ ...common, type: 'gauge', value: s.value, sent: s.sent }),
  restore(s, snap) {
    s.value = snap.value;
    s.sent = snap.sent;
  },
};
