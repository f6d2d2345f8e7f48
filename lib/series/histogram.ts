// The histogram metric type: one series with a classic part (classic-series.ts; Tempo:
// modules/generator/registry/histogram.go), a native part (native-series.ts; Tempo:
// modules/generator/registry/native_histogram.go), or both (mode both), as the tenant's
// increments bring them. In client_golang both parts live in one object and reset together,
// which this type mirrors.

import {
  addClassic,
  type ClassicState,
  classicCost,
  emptyClassic,
  markClassicSent,
  renderClassic,
  renderClassicStale,
  replaceClassic,
  resetClassic,
  restoreClassic,
  sameBounds,
  snapshotClassic,
} from './classic-series.ts';
import type { MetricType, TypeSettings } from './metric-type.ts';
import {
  addNative,
  markNativeSent,
  type NativeState,
  newNativeState,
  renderNative,
  restoreNative,
  runScheduledReset,
  snapshotNative,
} from './native-series.ts';
import type { HistogramSnapshot } from './registry-state.ts';
import { baseLabels, named, staleMarker } from './series-render.ts';
import { SeriesState } from './series-state.ts';
import type { HistogramIncrement } from './types.ts';

export class HistogramState extends SeriesState {
  classic: ClassicState | undefined = undefined;
  native: NativeState | undefined = undefined;

  override get type(): 'histogram' {
    return 'histogram';
  }
}

/** client_golang's timed reset; it clears the classic buckets of the same histogram too. */
function runReset(s: HistogramState, settings: TypeSettings, nowMs: number): void {
  if (s.native === undefined) return;
  if (runScheduledReset(s.native, settings.native, nowMs) && s.classic !== undefined) resetClassic(s.classic);
}

function fold(s: HistogramState, inc: HistogramIncrement, settings: TypeSettings, nowMs: number): void {
  let classicReplaced = false;
  runReset(s, settings, nowMs);
  if (inc.native !== undefined) {
    s.native ??= newNativeState(inc.native.schema, inc.native.zeroThreshold, nowMs, settings.nativeKey);
    const outcome = addNative(s.native, inc.native, settings.native, nowMs);
    if (outcome === 'reset' && s.classic !== undefined && inc.classic !== undefined) {
      // client_golang resets the classic buckets of the same histogram along with the native ones.
      replaceClassic(s.classic, inc.classic);
      classicReplaced = true;
    }
  }
  if (inc.classic !== undefined && !classicReplaced) {
    s.classic ??= emptyClassic(inc.classic.bounds);
    if (sameBounds(s.classic.bounds, inc.classic.bounds)) {
      addClassic(s.classic, inc.classic);
    } else {
      // Buckets reconfigured: the old counts cannot be mapped, so the classic part restarts
      // (a counter reset to Prometheus). zeroSent is kept: a second initial zero for _count
      // would be out of order.
      replaceClassic(s.classic, inc.classic);
    }
  }
  s.lastUpdatedMs = nowMs;
}

export const histogramType: MetricType<HistogramState, HistogramIncrement, HistogramSnapshot> = {
  check(inc, entityKey) {
    if (inc.classic === undefined && inc.native === undefined) {
      throw new Error(`histogram ${inc.name + entityKey}: increment has neither a classic nor a native part`);
    }
    const c = inc.classic;
    if (c !== undefined && c.counts.length !== c.bounds.length + 1) {
      throw new Error(
        `histogram ${inc.name + entityKey}: ${c.counts.length} bucket counts for ${c.bounds.length} bounds (+Inf expected)`,
      );
    }
  },
  incrementCost: (inc) => classicCost(inc.classic?.bounds) + (inc.native !== undefined ? 1 : 0),
  create: (entity, name, overflow) => new HistogramState(entity, name, overflow),
  fold: (s, inc, _created, settings, nowMs) => fold(s, inc, settings, nowMs),
  cost: (s) => classicCost(s.classic?.bounds) + (s.native !== undefined ? 1 : 0),
  beforeCollect: runReset,
  outdated: (s, settings) => s.native !== undefined && s.native.configKey !== settings.nativeKey,
  needsZero: (s) => (s.classic !== undefined && !s.classic.zeroSent) || (s.native !== undefined && !s.native.zeroSent),
  wasSent: (s) => (s.classic?.zeroSent ?? false) || (s.native?.zeroSent ?? false),
  markSent(s) {
    if (s.classic !== undefined) markClassicSent(s.classic);
    if (s.native !== undefined) markNativeSent(s.native);
  },
  render(s, ctx, t, out) {
    const base = baseLabels(s, ctx);
    if (s.classic !== undefined) renderClassic(s.name, base, s.classic, ctx, t, out);
    if (s.native !== undefined) renderNative(s.name, base, s.native, s.classic === undefined, ctx, t, out);
  },
  renderStale(s, ctx, atMs, out) {
    const base = baseLabels(s, ctx);
    if (s.classic?.zeroSent) renderClassicStale(s.name, base, s.classic, atMs, out);
    if (s.native?.zeroSent) out(staleMarker(named(base, s.name, ''), atMs));
  },
  snapshot: (s, common) => ({
    ...common,
    type: 'histogram',
    classic: s.classic === undefined ? null : snapshotClassic(s.classic),
    native: s.native === undefined ? null : snapshotNative(s.native),
  }),
  restore(s, snap, sharing) {
    if (snap.classic !== null) s.classic = restoreClassic(snap.classic, (bounds) => sharing.boundsOf(bounds));
    if (snap.native !== null) s.native = restoreNative(snap.native);
  },
};
