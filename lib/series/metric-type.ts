// The one interface every metric type implements (Tempo: modules/generator/registry/
// {counter,gauge,histogram,native_histogram}.go, one file per type behind registry.go's metric
// interface). A type owns its series from creation to removal: folding an increment, its
// active-series cost, rendering (collection, exposition, staleness markers), which of its parts
// were sent, and its snapshot. The registry only admits, limits, stamps and removes series, and
// reaches a type through the table in metric-types.ts.

import type { NativeHistogramConfig } from '../config/types.ts';
import type { CommonSnapshot, SeriesSnapshot } from './registry-state.ts';
import type { RestoreSharing } from './restore-sharing.ts';
import type { RenderContext, RenderTimes, SeriesSink } from './series-render.ts';
import type { Entity, SeriesState } from './series-state.ts';
import type { SeriesIncrement } from './types.ts';

/** The tenant settings a type folds with (changed overrides apply from the next fold). */
export interface TypeSettings {
  readonly native: NativeHistogramConfig;
  /** nativeConfigKey(native): the identity a native histogram is built under. */
  readonly nativeKey: string;
}

export interface MetricType<
  S extends SeriesState = SeriesState,
  I extends SeriesIncrement = SeriesIncrement,
  P extends SeriesSnapshot = SeriesSnapshot,
> {
  /** Throws on an increment only a processor bug makes; the error names the series (name + entityKey). */
  check(inc: I, entityKey: string): void;
  /** The time series a new series made by `inc` has: its cost against the limit. */
  incrementCost(inc: I): number;
  /** An empty series; the caller folds its first increment in or restores it. */
  create(entity: Entity, name: string, overflow: boolean): S;
  /** Applies one increment at nowMs; `created`: the series was made for this increment. */
  fold(s: S, inc: I, created: boolean, settings: TypeSettings, nowMs: number): void;
  /** Its time series now (the registry compares it after a fold). */
  cost(s: S): number;
  /** Work due before a collection renders it at nowMs (a native histogram's timed reset). */
  beforeCollect(s: S, settings: TypeSettings, nowMs: number): void;
  /** Built under settings other than these: removed with the next stale sweep. */
  outdated(s: S, settings: TypeSettings): boolean;
  /** A part of it has never been sent, so the collection owes its initial zero. */
  needsZero(s: S): boolean;
  /** A part of it has been sent (it needs staleness markers when removed). */
  wasSent(s: S): boolean;
  /** Everything rendered counts as sent: its initial zeros, its pending exemplars. */
  markSent(s: S): void;
  render(s: S, ctx: RenderContext, times: RenderTimes, out: SeriesSink): void;
  /** Staleness markers for every time series of it that has been sent. */
  renderStale(s: S, ctx: RenderContext, atMs: number, out: SeriesSink): void;
  /** Plain data of everything that affects what is sent next (pending exemplars excluded). */
  snapshot(s: S, common: CommonSnapshot): P;
  /** Fills a created series from its snapshot; `sharing` lets restored series share arrays. */
  restore(s: S, snap: P, sharing: RestoreSharing): void;
}
