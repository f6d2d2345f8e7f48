// Folding one increment into its series, per metric type, and each type's active-series cost
// (Tempo: modules/generator/registry/{counter,gauge,histogram,native_histogram}.go). The registry
// admits the series and keeps the active count; this file only changes the series itself.

import type { NativeHistogramConfig } from '../config/types.ts';
import { addNative, newNativeState, runScheduledReset } from './native-series.ts';
import { addClassic, emptyClassic, replaceClassic, resetClassic, sameBounds } from './registry-series.ts';
import type { CounterState, GaugeState, HistogramState, SeriesState } from './series-state.ts';
import type { CounterIncrement, GaugeSet, HistogramIncrement, SeriesIncrement } from './types.ts';

export function addCounter(s: CounterState, inc: CounterIncrement, nowMs: number): void {
  s.value += inc.value;
  s.lastUpdatedMs = nowMs;
}

export function setGauge(s: GaugeState, inc: GaugeSet, nowMs: number, created: boolean): void {
  // target_info's set-if-absent: an existing series keeps its value and its lastUpdated, so it
  // goes stale stale_duration after creation (Tempo's SetForTargetInfo).
  if (inc.mode === 'setIfAbsent' && !created) return;
  s.value = inc.value;
  s.lastUpdatedMs = nowMs;
}

/** Folds a histogram increment; the caller updates the active cost when costOf(s) changed. */
export function addHistogram(
  s: HistogramState,
  inc: HistogramIncrement,
  cfg: NativeHistogramConfig,
  nativeKey: string,
  nowMs: number,
): void {
  let classicReplaced = false;
  runHistogramReset(s, cfg, nowMs);
  if (inc.native !== undefined) {
    s.native ??= newNativeState(inc.native.schema, inc.native.zeroThreshold, nowMs, nativeKey);
    const outcome = addNative(s.native, inc.native, cfg, nowMs);
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

/** client_golang's timed reset; it clears the classic buckets of the same histogram too. */
export function runHistogramReset(s: HistogramState, cfg: NativeHistogramConfig, nowMs: number): void {
  if (s.native === undefined) return;
  if (runScheduledReset(s.native, cfg, nowMs) && s.classic !== undefined) resetClassic(s.classic);
}

/** The time series an increment would make: what a new series costs against the limit. */
export function incrementCost(inc: SeriesIncrement): number {
  if (inc.type !== 'histogram') return 1;
  return classicCost(inc.classic?.bounds) + (inc.native !== undefined ? 1 : 0);
}

export function costOf(s: SeriesState): number {
  if (s.type !== 'histogram') return 1;
  return classicCost(s.classic?.bounds) + (s.native !== undefined ? 1 : 0);
}

/** _sum + _count + one _bucket per bound + the +Inf bucket. */
function classicCost(bounds: readonly number[] | undefined): number {
  return bounds === undefined ? 0 : 2 + bounds.length + 1;
}
