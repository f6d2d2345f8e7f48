// Native (exponential) histogram accumulation as client_golang does it, on the shared
// NativeHistogramIncrement shape: processors observe into one per series and batch, the registry
// merges batches into its cumulative copy, reduces resolution when there are too many buckets,
// and renders the remote-write span/delta encoding.

import type { BucketSpan, NativeHistogramSample } from './collected.ts';
import type { NativeHistogramIncrement } from './types.ts';
import {
  DEFAULT_ZERO_THRESHOLD,
  MIN_SCHEMA,
  bucketIndex,
  bucketUpperBound,
  coarserIndex,
  schemaForFactor,
} from './native-buckets.ts';

export { DEFAULT_ZERO_THRESHOLD, MAX_SCHEMA, MIN_SCHEMA, bucketIndex, schemaForFactor } from './native-buckets.ts';

export function newNativeIncrement(schema: number, zeroThreshold = DEFAULT_ZERO_THRESHOLD): NativeHistogramIncrement {
  return { schema, zeroThreshold, zeroCount: 0, positive: new Map(), negative: new Map(), count: 0, sum: 0 };
}

/** A fresh histogram at the schema client_golang picks for bucketFactor. */
export function newNativeForFactor(bucketFactor: number): NativeHistogramIncrement {
  return newNativeIncrement(schemaForFactor(bucketFactor));
}

/**
 * How many times Tempo's native path observes a value with span multiplier m: its loop
 * `for i := 0.0; i < m; i++` runs ceil(m) times for m > 0 (m = 2.5 => 3), never for m <= 0.
 */
export function nativeRepetitions(multiplier: number): number {
  return multiplier > 0 ? Math.ceil(multiplier) : 0;
}

// Above this many repetitions the sum is multiplied instead of added up one by one: repeated
// addition is what Go does (and matches it bit for bit), but a huge sampling multiplier would
// make every observation a long loop.
const EXACT_SUM_REPETITIONS = 64;

/**
 * Observes `value` as Tempo's native path does with span multiplier `multiplier` (repeated
 * nativeRepetitions(multiplier) times). NaN counts toward count and sum but lands in no bucket;
 * |value| <= zeroThreshold goes to the zero bucket; +-Inf goes one past the largest finite bucket.
 * A non-empty traceId makes this observation the histogram's exemplar.
 */
export function observeNative(h: NativeHistogramIncrement, value: number, multiplier = 1, traceId?: string): void {
  const reps = nativeRepetitions(multiplier);
  if (reps === 0) return;
  h.count += reps;
  if (reps <= EXACT_SUM_REPETITIONS) {
    for (let i = 0; i < reps; i++) h.sum += value;
  } else {
    h.sum += value * reps;
  }
  if (traceId !== undefined && traceId !== '') h.exemplar = { traceId, value };
  if (Number.isNaN(value)) return;
  if (value > h.zeroThreshold) addTo(h.positive, bucketIndex(value, h.schema), reps);
  else if (value < -h.zeroThreshold) addTo(h.negative, bucketIndex(-value, h.schema), reps);
  else h.zeroCount += reps;
}

/** Number of populated (positive + negative) buckets, as client_golang limits them. */
export function populatedBuckets(h: NativeHistogramIncrement): number {
  return h.positive.size + h.negative.size;
}

/** Lowers the resolution to targetSchema by merging 2^(schema-target) neighbours per bucket. */
export function reduceSchema(h: NativeHistogramIncrement, targetSchema: number): void {
  if (targetSchema >= h.schema) return;
  const steps = h.schema - targetSchema;
  h.positive = remap(h.positive, steps);
  h.negative = remap(h.negative, steps);
  h.schema = targetSchema;
}

/**
 * client_golang's doubleBucketWidth, repeated while the histogram has more than maxBuckets
 * populated buckets (0 = unlimited) and the schema can still go down. Returns true if it reduced.
 * (client_golang reduces once per new bucket beyond the limit; a whole batch arriving at once
 * is the same as observing it one by one until the count fits.)
 */
export function limitBuckets(h: NativeHistogramIncrement, maxBuckets: number): boolean {
  let reduced = false;
  while (maxBuckets > 0 && populatedBuckets(h) > maxBuckets && h.schema > MIN_SCHEMA) {
    reduceSchema(h, h.schema - 1);
    reduced = true;
  }
  return reduced;
}

/**
 * Adds `source` into `target`: both are brought to the lower schema and the wider zero bucket;
 * the source's exemplar (the more recent one) replaces the target's.
 */
export function mergeNative(target: NativeHistogramIncrement, source: NativeHistogramIncrement): void {
  if (source.schema < target.schema) reduceSchema(target, source.schema);
  const steps = source.schema - target.schema;
  for (const [i, c] of source.positive) addTo(target.positive, steps > 0 ? coarserIndex(i, steps) : i, c);
  for (const [i, c] of source.negative) addTo(target.negative, steps > 0 ? coarserIndex(i, steps) : i, c);
  target.zeroCount += source.zeroCount;
  target.count += source.count;
  target.sum += source.sum;
  if (source.exemplar !== undefined) target.exemplar = { ...source.exemplar };
  const threshold = Math.max(target.zeroThreshold, source.zeroThreshold);
  if (threshold > target.zeroThreshold || threshold > source.zeroThreshold) widenZeroBucket(target, threshold);
}

/**
 * Raises the zero threshold to at least `threshold`, moving every bucket that reaches below it
 * into the zero bucket; a bucket straddling the threshold raises it to the bucket's upper bound
 * (as Prometheus does), so no bucket overlaps the zero bucket afterwards.
 */
export function widenZeroBucket(h: NativeHistogramIncrement, threshold: number): void {
  let t = Math.max(h.zeroThreshold, threshold);
  let changed = true;
  while (changed) {
    changed = false;
    for (const buckets of [h.positive, h.negative]) {
      for (const [i, c] of buckets) {
        if (bucketUpperBound(i - 1, h.schema) < t) {
          h.zeroCount += c;
          buckets.delete(i);
          const upper = bucketUpperBound(i, h.schema);
          if (upper > t) {
            t = upper;
            changed = true;
          }
        }
      }
    }
  }
  h.zeroThreshold = t;
}

export function cloneNative(h: NativeHistogramIncrement): NativeHistogramIncrement {
  const copy: NativeHistogramIncrement = {
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    positive: new Map(h.positive),
    negative: new Map(h.negative),
    count: h.count,
    sum: h.sum,
  };
  if (h.exemplar !== undefined) copy.exemplar = { ...h.exemplar };
  return copy;
}

/**
 * Span/delta encoding of one side's buckets, as client_golang writes it: buckets in index order,
 * a new span at the first bucket and after every gap of more than two empty buckets, gaps of one
 * or two empty buckets filled with explicit zero buckets inside the span (cheaper than a span).
 * Empty-count entries are skipped.
 */
export function spansAndDeltas(buckets: ReadonlyMap<number, number>): { spans: BucketSpan[]; deltas: number[] } {
  const keys: number[] = [];
  for (const [i, c] of buckets) if (c !== 0) keys.push(i);
  keys.sort((a, b) => a - b);
  const spans: { offset: number; length: number }[] = [];
  const deltas: number[] = [];
  let previousCount = 0;
  let nextIndex = 0;
  for (let n = 0; n < keys.length; n++) {
    const index = keys[n];
    const gap = index - nextIndex;
    if (n === 0 || gap > 2) {
      spans.push({ offset: gap, length: 0 });
    } else {
      for (let g = 0; g < gap; g++) {
        spans[spans.length - 1].length++;
        deltas.push(0 - previousCount); // never -0
        previousCount = 0;
      }
    }
    const count = buckets.get(index) as number;
    spans[spans.length - 1].length++;
    deltas.push(count - previousCount);
    previousCount = count;
    nextIndex = index + 1;
  }
  return { spans, deltas };
}

/** The remote-write histogram for h at timestampMs. */
export function toNativeSample(h: NativeHistogramIncrement, timestampMs: number): NativeHistogramSample {
  const pos = spansAndDeltas(h.positive);
  const neg = spansAndDeltas(h.negative);
  return {
    count: h.count,
    sum: h.sum,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    negativeSpans: neg.spans,
    negativeDeltas: neg.deltas,
    positiveSpans: pos.spans,
    positiveDeltas: pos.deltas,
    timestampMs,
  };
}

function addTo(buckets: Map<number, number>, index: number, count: number): void {
  buckets.set(index, (buckets.get(index) ?? 0) + count);
}

function remap(buckets: Map<number, number>, steps: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [i, c] of buckets) addTo(out, coarserIndex(i, steps), c);
  return out;
}
