// Classic (fixed-bucket) histogram observation on the shared increment shape
// (Tempo: modules/generator/registry/histogram.go):
// `le` is inclusive -- a value equal to a bound counts in that bound's bucket, as Go's
// sort.SearchFloat64s picks it -- and Tempo's classic path weights an observation by the span
// multiplier (count += m, sum += v*m) rather than repeating it.

import { firstAtLeast } from './sorted-search.ts';
import type { ClassicHistogramIncrement } from './types.ts';

export function newClassicIncrement(bounds: readonly number[]): ClassicHistogramIncrement {
  return {
    bounds,
    counts: new Array<number>(bounds.length + 1).fill(0),
    sum: 0,
    count: 0,
    exemplars: new Array<undefined>(bounds.length + 1).fill(undefined),
  };
}

/** Index of the (non-cumulative) bucket holding value: the first bound >= value, else +Inf. */
export function classicBucketIndex(bounds: readonly number[], value: number): number {
  return firstAtLeast(bounds, value);
}

/** Observes value with weight (span multiplier); a non-empty traceId becomes that bucket's exemplar. */
export function observeClassic(h: ClassicHistogramIncrement, value: number, weight = 1, traceId?: string): void {
  const i = classicBucketIndex(h.bounds, value);
  h.counts[i] += weight;
  h.count += weight;
  h.sum += value * weight;
  if (traceId !== undefined && traceId !== '') h.exemplars[i] = { traceId, value };
}
