// Checks a series against what a remote-write receiver accepts, before it is sent. Prometheus
// answers 500 to a duplicate label name or a malformed native histogram, which a sender retries
// forever, and 400 to an out-of-order sample, which throws away the whole request with every good
// series in it: dropping the one bad series here keeps both failures out of the request.

import type { BucketSpan, CollectedSeries, NativeHistogramSample } from '../series/collected.ts';
import type { Labels } from '../series/types.ts';
import { compareUtf8, isValidUtf8 } from '../series/utf8.ts';

/** Exponential schemas a remote-write 1.0 receiver understands. */
const MIN_SCHEMA = -4;
const MAX_SCHEMA = 8;
const MAX_UINT32 = 0xffffffff;

/** Why the series must not be sent, or undefined when it is fine. */
export function validateSeries(s: CollectedSeries): string | undefined {
  const labelProblem = validateLabels(s.labels, 'label');
  if (labelProblem !== undefined) return labelProblem;
  if (!hasMetricName(s.labels)) return 'no __name__ label';

  const histograms = s.histograms ?? [];
  if (s.samples.length > 0 && histograms.length > 0) return 'series has both float samples and native histograms';

  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < s.samples.length; i++) {
    const t = s.samples[i].timestampMs;
    const problem = timestampProblem(t, previous, `sample ${i}`);
    if (problem !== undefined) return problem;
    previous = t;
  }
  previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < histograms.length; i++) {
    const h = histograms[i];
    const timeProblem = timestampProblem(h.timestampMs, previous, `histogram ${i}`);
    if (timeProblem !== undefined) return timeProblem;
    const problem = histogramProblem(h);
    if (problem !== undefined) return `histogram ${i}: ${problem}`;
    previous = h.timestampMs;
  }
  for (let i = 0; i < s.exemplars.length; i++) {
    const e = s.exemplars[i];
    const problem = validateLabels(e.labels, `exemplar ${i} label`);
    if (problem !== undefined) return problem;
    if (!Number.isSafeInteger(e.timestampMs))
      return `exemplar ${i} timestamp ${e.timestampMs} is not an integer millisecond`;
  }
  return undefined;
}

/**
 * Names non-empty and valid UTF-8, strictly ascending in byte order (which rules out duplicates);
 * labels with an empty value are skipped, as the encoder leaves them out.
 */
function validateLabels(labels: Labels, what: string): string | undefined {
  let previous: string | undefined;
  for (const l of labels) {
    if (l.value === '') continue;
    if (l.name === '') return `${what} with an empty name (value "${l.value}")`;
    if (!wellFormed(l.name)) return `${what} name ${JSON.stringify(l.name)} is not valid UTF-8`;
    if (!wellFormed(l.value)) return `${what} ${l.name} has a value that is not valid UTF-8`;
    if (previous !== undefined) {
      const order = compareUtf8(previous, l.name);
      if (order === 0) return `duplicate ${what} name ${l.name}`;
      if (order > 0) return `${what}s not sorted by name (${l.name} after ${previous})`;
    }
    previous = l.name;
  }
  return undefined;
}

function hasMetricName(labels: Labels): boolean {
  for (const l of labels) if (l.name === '__name__' && l.value !== '') return true;
  return false;
}

/**
 * No lone surrogates. String.prototype.isWellFormed (Node 20+) does this natively; the
 * character loop is the fallback.
 */
const wellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : isValidUtf8;

function timestampProblem(t: number, previous: number, what: string): string | undefined {
  if (!Number.isSafeInteger(t)) return `${what} timestamp ${t} is not an integer millisecond`;
  if (t <= previous) return `${what} timestamp ${t} is not after the previous one (${previous})`;
  return undefined;
}

/**
 * The checks Prometheus' histogram validation makes on an integer histogram: spans cover exactly
 * the deltas, only the first span may have a negative offset, no bucket count goes negative, and
 * the observation count equals zero count plus bucket counts (or, when the sum is NaN because a
 * NaN was observed, is at least that, since NaN observations land in no bucket).
 */
export function histogramProblem(h: NativeHistogramSample): string | undefined {
  if (!Number.isInteger(h.schema) || h.schema < MIN_SCHEMA || h.schema > MAX_SCHEMA) {
    return `schema ${h.schema} is outside ${MIN_SCHEMA}..${MAX_SCHEMA}`;
  }
  if (!(h.zeroThreshold >= 0) || !Number.isFinite(h.zeroThreshold))
    return `zero threshold ${h.zeroThreshold} is not a finite non-negative number`;
  if (!isCount(h.count)) return `count ${h.count} is not a non-negative integer`;
  if (!isCount(h.zeroCount)) return `zero count ${h.zeroCount} is not a non-negative integer`;

  const negative = bucketsProblem(h.negativeSpans, h.negativeDeltas, 'negative');
  if (typeof negative === 'string') return negative;
  const positive = bucketsProblem(h.positiveSpans, h.positiveDeltas, 'positive');
  if (typeof positive === 'string') return positive;

  const inBuckets = h.zeroCount + negative + positive;
  if (Number.isNaN(h.sum)) {
    if (h.count < inBuckets)
      return `count ${h.count} is less than the ${inBuckets} observations in the zero and other buckets`;
  } else if (h.count !== inBuckets) {
    return `count ${h.count} differs from the ${inBuckets} observations in the zero and other buckets`;
  }
  return undefined;
}

/** The total count of one side's buckets, or what is wrong with them. */
function bucketsProblem(spans: readonly BucketSpan[], deltas: readonly number[], side: string): number | string {
  let lengths = 0;
  for (let i = 0; i < spans.length; i++) {
    const { offset, length } = spans[i];
    if (!Number.isInteger(offset) || Math.abs(offset) > 0x7fffffff)
      return `${side} span ${i} offset ${offset} is not a 32-bit integer`;
    if (i > 0 && offset < 0) return `${side} span ${i} has negative offset ${offset}`;
    if (!Number.isInteger(length) || length < 0 || length > MAX_UINT32)
      return `${side} span ${i} length ${length} is not a 32-bit unsigned integer`;
    lengths += length;
  }
  if (lengths !== deltas.length) return `${side} spans cover ${lengths} buckets but there are ${deltas.length} deltas`;
  let count = 0;
  let total = 0;
  for (let i = 0; i < deltas.length; i++) {
    if (!Number.isSafeInteger(deltas[i])) return `${side} delta ${i} (${deltas[i]}) is not an integer`;
    count += deltas[i];
    if (count < 0) return `${side} bucket ${i} has negative count ${count}`;
    total += count;
  }
  return total;
}

function isCount(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}
