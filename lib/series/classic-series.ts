// The classic (fixed-bucket) part of a histogram series (Tempo: modules/generator/registry/
// histogram.go): cumulative per-bucket counts, sum and count, the exemplars pending per bucket,
// its _count/_sum/_bucket{le} time series and their snapshot. histogram.ts combines it with the
// native part.

import { clearExemplars, holdExemplar, type PendingExemplarHolder, pendingExemplars } from './classic-exemplars.ts';
import type { ClassicSnapshot } from './registry-state.ts';
import {
  named,
  leLabel,
  NO_EXEMPLARS,
  type RenderContext,
  type RenderTimes,
  type SeriesSink,
  staleMarker,
  toExemplar,
  withZero,
} from './series-render.ts';
import { withLabelObject } from './labels.ts';
import type { ClassicHistogramIncrement, Labels } from './types.ts';

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

// Bounds arrays are shared with the increments (the processors hand out their configured,
// never-mutated array), not copied: one array per metric instead of one per series.
export function emptyClassic(bounds: readonly number[]): ClassicState {
  return new ClassicState(bounds, new Array<number>(bounds.length + 1).fill(0), 0, 0, false);
}

export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** _sum + _count + one _bucket per bound + the +Inf bucket. */
export function classicCost(bounds: readonly number[] | undefined): number {
  return bounds === undefined ? 0 : 2 + bounds.length + 1;
}

export function addClassic(c: ClassicState, inc: ClassicHistogramIncrement): void {
  for (let i = 0; i < c.counts.length; i++) c.counts[i] += inc.counts[i];
  c.sum += inc.sum;
  c.count += inc.count;
  takeExemplars(c, inc);
}

/** Restarts the classic part from this increment alone (bounds included). */
export function replaceClassic(c: ClassicState, inc: ClassicHistogramIncrement): void {
  if (!sameBounds(c.bounds, inc.bounds)) c.bounds = inc.bounds;
  // Pending exemplars stay on their buckets unless the number of buckets changed.
  if (inc.counts.length !== c.counts.length) clearExemplars(c);
  c.counts = [...inc.counts];
  c.sum = inc.sum;
  c.count = inc.count;
  takeExemplars(c, inc);
}

export function resetClassic(c: ClassicState): void {
  c.counts.fill(0);
  c.sum = 0;
  c.count = 0;
}

function takeExemplars(c: ClassicState, inc: ClassicHistogramIncrement): void {
  const buckets = Math.min(inc.exemplars.length, c.counts.length);
  for (let i = 0; i < buckets; i++) {
    const e = inc.exemplars[i];
    if (e !== undefined && e.traceId !== '') holdExemplar(c, i, e.traceId, e.value);
  }
}

export function markClassicSent(c: ClassicState): void {
  c.zeroSent = true;
  clearExemplars(c);
}

/** _count and every _bucket (cumulative) get an initial zero; _sum does not (Tempo neither). */
export function renderClassic(
  name: string,
  base: Labels,
  c: ClassicState,
  ctx: RenderContext,
  t: RenderTimes,
  out: SeriesSink,
): void {
  const zeroMs = c.zeroSent ? undefined : t.zeroMs;
  out({
    labels: named(base, name, '_count'),
    samples: withZero(zeroMs, { value: c.count, timestampMs: t.atMs }),
    exemplars: NO_EXEMPLARS,
  });
  out({
    labels: named(base, name, '_sum'),
    samples: [{ value: c.sum, timestampMs: t.atMs }],
    exemplars: NO_EXEMPLARS,
  });
  const bucketBase = named(base, name, '_bucket');
  let cumulative = 0;
  const held = t.exemplars ? pendingExemplars(c, c.counts.length) : undefined;
  for (let i = 0; i < c.counts.length; i++) {
    cumulative += c.counts[i];
    const exemplar = held?.[i];
    out({
      labels: withLabelObject(bucketBase, leLabel(c.bounds, i)),
      samples: withZero(zeroMs, { value: cumulative, timestampMs: t.atMs }),
      exemplars: exemplar === undefined ? NO_EXEMPLARS : [toExemplar(exemplar, ctx, t.atMs)],
    });
  }
}

export function renderClassicStale(name: string, base: Labels, c: ClassicState, atMs: number, out: SeriesSink): void {
  out(staleMarker(named(base, name, '_count'), atMs));
  out(staleMarker(named(base, name, '_sum'), atMs));
  const bucketBase = named(base, name, '_bucket');
  for (let i = 0; i < c.counts.length; i++) out(staleMarker(withLabelObject(bucketBase, leLabel(c.bounds, i)), atMs));
}

export function snapshotClassic(c: ClassicState): ClassicSnapshot {
  return {
    bounds: [...c.bounds],
    counts: [...c.counts],
    sum: c.sum,
    count: c.count,
    zeroSent: c.zeroSent,
  };
}

/** `shareBounds` hands back the array restored series of the same layout share. */
export function restoreClassic(
  c: ClassicSnapshot,
  shareBounds: (bounds: readonly number[]) => readonly number[],
): ClassicState {
  const state = new ClassicState(shareBounds([...c.bounds]), [...c.counts], c.sum, c.count, c.zeroSent);
  for (let i = 0; i < c.counts.length; i++) {
    const e = c.exemplars?.[i];
    if (e !== undefined && e !== null) holdExemplar(state, i, e.traceId, e.value);
  }
  return state;
}
