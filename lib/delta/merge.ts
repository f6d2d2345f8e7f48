// Committed deltas summed per series: what the flusher's registry would fold, without its state
// (limits, staleness, resets). Store tests compare this between a faulty and a fault-free run, so
// it is exact (no reordering of float additions: deltas and increments are taken in list order)
// and never mutates its input.
//
// Per series: counters add; classic histograms add bucket-wise (different bounds: the later part
// replaces the earlier, as the registry restarts a re-bucketed histogram); native parts merge at
// the lower schema (mergeNative); exemplars: the later one wins per bucket. Gauges follow the
// registry: `set` overwrites, `setIfAbsent` only counts when no earlier increment set the series.

import { seriesKey } from '../series/labels.ts';
import { cloneNative, mergeNative } from '../series/native-histogram.ts';
import type { ClassicHistogramIncrement, HistogramIncrement, SeriesIncrement } from '../series/types.ts';
import type { DeltaContent } from './types.ts';

/** tenant -> seriesKey -> summed increment (fresh objects; labels shared with the input). */
export function sumIncrements(list: readonly DeltaContent[]): Map<string, Map<string, SeriesIncrement>> {
  const out = new Map<string, Map<string, SeriesIncrement>>();
  for (const delta of list) {
    for (const t of delta.tenants) {
      let series = out.get(t.tenant);
      if (series === undefined) {
        series = new Map();
        out.set(t.tenant, series);
      }
      for (const inc of t.increments) {
        const key = seriesKey(inc.name, inc.labels);
        const prev = series.get(key);
        if (prev === undefined) {
          series.set(key, cloneIncrement(inc));
          continue;
        }
        if (prev.type !== inc.type) {
          throw new Error(`tenant ${t.tenant} series ${key}: a ${inc.type} increment after a ${prev.type}`);
        }
        if (prev.type === 'counter' && inc.type === 'counter') prev.value += inc.value;
        else if (inc.type === 'gauge' && inc.mode === 'set') series.set(key, { ...inc });
        else if (prev.type === 'histogram' && inc.type === 'histogram') addHistogram(prev, inc);
      }
    }
  }
  return out;
}

function cloneIncrement(inc: SeriesIncrement): SeriesIncrement {
  if (inc.type !== 'histogram') return { ...inc };
  const copy: HistogramIncrement = { type: 'histogram', name: inc.name, labels: inc.labels };
  if (inc.classic !== undefined) copy.classic = cloneClassic(inc.classic);
  if (inc.native !== undefined) copy.native = cloneNative(inc.native);
  return copy;
}

function cloneClassic(c: ClassicHistogramIncrement): ClassicHistogramIncrement {
  return {
    bounds: c.bounds,
    counts: [...c.counts],
    sum: c.sum,
    count: c.count,
    exemplars: c.exemplars.map((e) => (e === undefined ? undefined : { ...e })),
  };
}

function addHistogram(target: HistogramIncrement, inc: HistogramIncrement): void {
  if (inc.classic !== undefined) {
    const t = target.classic;
    if (t === undefined || !sameBounds(t.bounds, inc.classic.bounds)) target.classic = cloneClassic(inc.classic);
    else addClassic(t, inc.classic);
  }
  if (inc.native !== undefined) {
    if (target.native === undefined) target.native = cloneNative(inc.native);
    else mergeNative(target.native, inc.native);
  }
}

function addClassic(t: ClassicHistogramIncrement, c: ClassicHistogramIncrement): void {
  for (let i = 0; i < t.counts.length; i++) t.counts[i] += c.counts[i];
  t.sum += c.sum;
  t.count += c.count;
  for (let i = 0; i < c.exemplars.length; i++) {
    const e = c.exemplars[i];
    if (e !== undefined) t.exemplars[i] = { ...e };
  }
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
