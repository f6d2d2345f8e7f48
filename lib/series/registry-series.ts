// Per-series helpers of the registry: what was sent, increment checks, and folding classic
// histogram parts.

import type { ClassicHistogramIncrement, Labels, SeriesIncrement } from './types.ts';
import { clearExemplars, holdExemplar } from './classic-exemplars.ts';
import { ClassicState, type SeriesState } from './series-state.ts';

export function markSent(s: SeriesState): void {
  switch (s.type) {
    case 'counter':
      s.zeroSent = true;
      return;
    case 'gauge':
      s.sent = true;
      return;
    case 'histogram':
      if (s.classic !== undefined) {
        s.classic.zeroSent = true;
        clearExemplars(s.classic);
      }
      if (s.native !== undefined) {
        s.native.zeroSent = true;
        delete s.native.hist.exemplar;
      }
      return;
  }
}

export function needsZero(s: SeriesState): boolean {
  switch (s.type) {
    case 'counter':
      return !s.zeroSent;
    case 'gauge':
      return false;
    case 'histogram':
      return (s.classic !== undefined && !s.classic.zeroSent) || (s.native !== undefined && !s.native.zeroSent);
  }
}

/** Increments that can only come from a processor bug; the error names the series (name + entityKey). */
export function checkIncrement(inc: SeriesIncrement, name: string, entityKey: string): void {
  if (inc.type === 'counter') {
    if (!(inc.value >= 0))
      throw new RangeError(`counter ${name + entityKey}: increment must be >= 0, got ${inc.value}`);
    return;
  }
  if (inc.type !== 'histogram') return;
  if (inc.classic === undefined && inc.native === undefined) {
    throw new Error(`histogram ${name + entityKey}: increment has neither a classic nor a native part`);
  }
  const c = inc.classic;
  if (c !== undefined && c.counts.length !== c.bounds.length + 1) {
    throw new Error(
      `histogram ${name + entityKey}: ${c.counts.length} bucket counts for ${c.bounds.length} bounds (+Inf expected)`,
    );
  }
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

export function takeExemplars(c: ClassicState, inc: ClassicHistogramIncrement): void {
  const buckets = Math.min(inc.exemplars.length, c.counts.length);
  for (let i = 0; i < buckets; i++) {
    const e = inc.exemplars[i];
    if (e !== undefined && e.traceId !== '') holdExemplar(c, i, e.traceId, e.value);
  }
}

/** The series as the increment's type; a mismatch is a processor bug and names the series. */
export function expectType<T extends SeriesState['type']>(
  s: SeriesState,
  inc: SeriesIncrement,
  type: T,
): Extract<SeriesState, { type: T }> {
  if (s.type !== type) throw new Error(`series ${s.key}: got a ${inc.type} increment for a ${s.type} series`);
  return s as Extract<SeriesState, { type: T }>;
}

export function isOverflowLabels(labels: Labels): boolean {
  return labels.length === 1 && labels[0].name === 'metric_overflow' && labels[0].value === 'true';
}
