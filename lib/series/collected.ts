// What one collection hands to the remote-write encoder: shaped like prompb.TimeSeries so the
// encoder maps it field for field (labels, samples, exemplars, histograms).

import type { Labels } from './types.ts';

export interface Sample {
  readonly value: number;
  readonly timestampMs: number;
  /**
   * Set on staleness markers (value is stale.ts staleNaN()). JS keeps a NaN payload through
   * object fields and typed-array stores but quietens it in plain number arrays, so an encoder
   * should write STALE_NAN_BITS itself when this flag is set rather than trust the value's bits.
   */
  readonly stale?: true;
}

export interface CollectedExemplar {
  /** `{<traceIdLabelName>: <hex trace id>}` */
  readonly labels: Labels;
  readonly value: number;
  readonly timestampMs: number;
}

/** prompb.BucketSpan */
export interface BucketSpan {
  readonly offset: number;
  readonly length: number;
}

/** prompb.Histogram in its integer-count form (count_int, zero_count_int, *_deltas). */
export interface NativeHistogramSample {
  readonly count: number;
  readonly sum: number;
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly negativeSpans: readonly BucketSpan[];
  /** Delta-encoded bucket counts: the first is absolute, each next one relative to the previous. */
  readonly negativeDeltas: readonly number[];
  readonly positiveSpans: readonly BucketSpan[];
  readonly positiveDeltas: readonly number[];
  readonly timestampMs: number;
}

/** prompb.TimeSeries: float samples, or native histograms, never both. */
export interface CollectedSeries {
  /** Sorted by name, including `__name__` and the external / tenant labels. */
  readonly labels: Labels;
  /** Oldest first (an initial zero precedes the value). */
  readonly samples: readonly Sample[];
  readonly exemplars: readonly CollectedExemplar[];
  /** Present (and samples empty) for a native histogram series. */
  readonly histograms?: readonly NativeHistogramSample[];
}
