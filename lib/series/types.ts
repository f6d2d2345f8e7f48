// Contracts between the processors (which pre-aggregate one batch of spans) and the registry
// (which folds batches into cumulative series). Everything a processor produces for one batch is
// a list of SeriesIncrement values; the same list is what the ingest Lambda stores as a delta.

/** One Prometheus label. Label sets are arrays sorted by name with no empty values. */
export interface Label {
  readonly name: string;
  readonly value: string;
}
export type Labels = readonly Label[];

/** An exemplar attached to one observation (trace ID as lowercase hex). */
export interface Exemplar {
  readonly traceId: string;
  readonly value: number;
}

/** Native (exponential) histogram increments at a fixed schema, as client_golang buckets them. */
export interface NativeHistogramIncrement {
  /** Resolution: bucket boundaries are powers of 2^(2^-schema). */
  schema: number;
  /** Observations with |v| <= zeroThreshold land in the zero bucket. */
  zeroThreshold: number;
  zeroCount: number;
  /** Bucket index -> count. Index i covers (base^(i-1), base^i]. */
  positive: Map<number, number>;
  negative: Map<number, number>;
  count: number;
  sum: number;
  /** Most recent observation with a trace ID, if any. */
  exemplar?: Exemplar;
}

export interface ClassicHistogramIncrement {
  /** Upper bounds, strictly increasing, without +Inf. */
  bounds: readonly number[];
  /** Non-cumulative counts: counts[i] for bounds[i], counts[bounds.length] for +Inf. */
  counts: number[];
  sum: number;
  count: number;
  /** Per bucket (same indexing as counts): the most recent observation with a trace ID. */
  exemplars: (Exemplar | undefined)[];
}

export interface CounterIncrement {
  readonly type: 'counter';
  readonly name: string;
  readonly labels: Labels;
  value: number;
}

export interface GaugeSet {
  readonly type: 'gauge';
  readonly name: string;
  readonly labels: Labels;
  value: number;
  /**
   * `set` overwrites and refreshes the series; `setIfAbsent` only creates it (Tempo's target_info rule:
   * an existing series is not refreshed, so it goes stale stale_duration after creation).
   */
  readonly mode: 'set' | 'setIfAbsent';
}

export interface HistogramIncrement {
  readonly type: 'histogram';
  readonly name: string;
  readonly labels: Labels;
  /** Present when the tenant's mode is classic or both. */
  classic?: ClassicHistogramIncrement;
  /** Present when the tenant's mode is native or both. */
  native?: NativeHistogramIncrement;
}

export type SeriesIncrement = CounterIncrement | GaugeSet | HistogramIncrement;
