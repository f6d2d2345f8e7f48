// Small CollectedSeries builders for the remote-write tests.

import type { CollectedSeries, NativeHistogramSample } from '../../lib/series/collected.ts';
import { labelsFromRecord } from '../../lib/series/labels.ts';

export const T0 = 1_700_000_000_000;

/** A float series named `name` with one sample per value, a second apart from T0. */
export function floatSeries(name: string, labels: Record<string, string>, ...values: number[]): CollectedSeries {
  return {
    labels: labelsFromRecord({ ...labels, __name__: name }),
    samples: values.map((value, i) => ({ value, timestampMs: T0 + i * 1000 })),
    exemplars: [],
  };
}

/** A valid integer native histogram: 5 observations, 1 in the zero bucket, buckets 2, 1, 1. */
export function nativeSample(overrides: Partial<NativeHistogramSample> = {}): NativeHistogramSample {
  return {
    count: 5,
    sum: 12.5,
    schema: 3,
    zeroThreshold: 2.938735877055719e-39,
    zeroCount: 1,
    negativeSpans: [{ offset: 0, length: 1 }],
    negativeDeltas: [1],
    positiveSpans: [
      { offset: -2, length: 1 },
      { offset: 3, length: 1 },
    ],
    positiveDeltas: [2, -1],
    timestampMs: T0,
    ...overrides,
  };
}

export function histogramSeries(
  name: string,
  labels: Record<string, string>,
  ...histograms: NativeHistogramSample[]
): CollectedSeries {
  return { labels: labelsFromRecord({ ...labels, __name__: name }), samples: [], exemplars: [], histograms };
}
