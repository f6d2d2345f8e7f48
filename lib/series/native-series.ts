// The cumulative native histogram of one series and client_golang's bucket-limit strategy
// (Tempo: modules/generator/registry/native_histogram.go), driven by batch increments and the
// caller's clock instead of timers:
// - more than maxBucketNumber buckets and minResetDuration passed since the last reset (and no
//   reset pending): the histogram is reset and keeps only the newest data -- client_golang keeps
//   the one observation that overflowed it, here the whole batch that did;
// - otherwise the resolution is halved until the buckets fit, and a reset is scheduled for
//   lastReset + minResetDuration, which then empties the histogram (client_golang's afterFunc).
// In client_golang the classic buckets of a `both` histogram live in the same object and reset
// with it; histogram.ts mirrors that through the returned flags. Also here: the part's time
// series (Tempo: modules/generator/registry/native_histogram.go) and its snapshot.

import type { NativeHistogramConfig } from '../config/types.ts';
import type { NativeSnapshot } from './registry-state.ts';
import {
  NO_EXEMPLARS,
  named,
  type RenderContext,
  type RenderTimes,
  type SeriesSink,
  toExemplar,
} from './series-render.ts';
import type { NativeHistogramIncrement, Labels } from './types.ts';
import {
  DEFAULT_ZERO_THRESHOLD,
  cloneNative,
  limitBuckets,
  mergeNative,
  newNativeIncrement,
  populatedBuckets,
  schemaForFactor,
  toNativeSample,
} from './native-histogram.ts';

export interface NativeState {
  /** Cumulative buckets; `exemplar` is the one not yet sent. */
  hist: NativeHistogramIncrement;
  lastResetMs: number;
  resetScheduled: boolean;
  /** The empty histogram at T0 was sent (never again for this series). */
  zeroSent: boolean;
  /** nativeConfigKey() of the config the series was built with. */
  configKey: string;
}

/**
 * Identity of the three settings; a series built under other values is dropped at the next stale
 * sweep (Tempo hashes the same three overrides per series).
 */
export function nativeConfigKey(cfg: NativeHistogramConfig): string {
  return `${cfg.bucketFactor}/${cfg.maxBucketNumber}/${cfg.minResetDurationMs}`;
}

export function newNativeState(schema: number, zeroThreshold: number, nowMs: number, configKey: string): NativeState {
  return {
    hist: newNativeIncrement(schema, zeroThreshold),
    lastResetMs: nowMs,
    resetScheduled: false,
    zeroSent: false,
    configKey,
  };
}

/** Runs a due scheduled reset (empty histogram at the configured schema); true if it ran. */
export function runScheduledReset(state: NativeState, cfg: NativeHistogramConfig, nowMs: number): boolean {
  if (!state.resetScheduled || cfg.minResetDurationMs <= 0) return false;
  if (nowMs - state.lastResetMs < cfg.minResetDurationMs) return false;
  const exemplar = state.hist.exemplar;
  state.hist = newNativeIncrement(schemaForFactor(cfg.bucketFactor), DEFAULT_ZERO_THRESHOLD);
  if (exemplar !== undefined) state.hist.exemplar = exemplar; // client_golang keeps exemplars on reset
  state.lastResetMs = nowMs;
  state.resetScheduled = false;
  return true;
}

/**
 * Adds one batch. Returns 'reset' when the limit rule reset the histogram to this batch alone
 * (the caller then replaces a classic part with the batch's classic part, as client_golang does).
 */
export function addNative(
  state: NativeState,
  inc: NativeHistogramIncrement,
  cfg: NativeHistogramConfig,
  nowMs: number,
): 'merged' | 'reset' {
  mergeNative(state.hist, inc);
  const max = cfg.maxBucketNumber;
  if (max <= 0 || populatedBuckets(state.hist) <= max) return 'merged';
  const minReset = cfg.minResetDurationMs;
  if (minReset > 0 && !state.resetScheduled && nowMs - state.lastResetMs >= minReset) {
    state.hist = cloneNative(inc);
    state.lastResetMs = nowMs;
    // The batch alone may still be too wide: reduce it, which schedules the next reset.
    if (limitBuckets(state.hist, max)) state.resetScheduled = true;
    return 'reset';
  }
  if (minReset > 0) state.resetScheduled = true;
  limitBuckets(state.hist, max);
  return 'merged';
}

export function markNativeSent(state: NativeState): void {
  state.zeroSent = true;
  delete state.hist.exemplar;
}

/**
 * The part's one time series under the bare metric name. `withExemplar`: attach the pending
 * exemplar (with a classic part, in mode both, Tempo sends the exemplars on _bucket only).
 */
export function renderNative(
  name: string,
  base: Labels,
  n: NativeState,
  withExemplar: boolean,
  ctx: RenderContext,
  t: RenderTimes,
  out: SeriesSink,
): void {
  const histograms = [toNativeSample(n.hist, t.atMs)];
  if (!n.zeroSent && t.zeroMs !== undefined) {
    // Tempo's initial native sample: the schema only, no zero threshold, no buckets.
    histograms.unshift({
      count: 0,
      sum: 0,
      schema: n.hist.schema,
      zeroThreshold: 0,
      zeroCount: 0,
      negativeSpans: [],
      negativeDeltas: [],
      positiveSpans: [],
      positiveDeltas: [],
      timestampMs: t.zeroMs,
    });
  }
  const exemplar = t.exemplars && withExemplar ? n.hist.exemplar : undefined;
  out({
    labels: named(base, name, ''),
    samples: [],
    exemplars: exemplar === undefined ? NO_EXEMPLARS : [toExemplar(exemplar, ctx, t.atMs)],
    histograms,
  });
}

export function snapshotNative(n: NativeState): NativeSnapshot {
  const h = n.hist;
  return {
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    positive: [...h.positive].sort((a, b) => a[0] - b[0]),
    negative: [...h.negative].sort((a, b) => a[0] - b[0]),
    count: h.count,
    sum: h.sum,
    lastResetMs: n.lastResetMs,
    resetScheduled: n.resetScheduled,
    zeroSent: n.zeroSent,
    configKey: n.configKey,
  };
}

export function restoreNative(n: NativeSnapshot): NativeState {
  const state: NativeState = {
    hist: {
      schema: n.schema,
      zeroThreshold: n.zeroThreshold,
      zeroCount: n.zeroCount,
      positive: new Map(n.positive),
      negative: new Map(n.negative),
      count: n.count,
      sum: n.sum,
    },
    lastResetMs: n.lastResetMs,
    resetScheduled: n.resetScheduled,
    zeroSent: n.zeroSent,
    configKey: n.configKey,
  };
  if (n.exemplar !== undefined && n.exemplar !== null)
    state.hist.exemplar = { traceId: n.exemplar.traceId, value: n.exemplar.value };
  return state;
}
