// The contract between the decode stage and the metric processors. A processor sees decoded
// traces (already filtered by the ingestion time-range slack), aggregates them in memory, and on
// drain() emits one increment per series touched since the last drain.

import type { DecodedTrace } from '../decode/trace-decoder.ts';
import type { SeriesIncrement } from '../series/types.ts';
import type { PendingHalves } from './servicegraphs/edge-half.ts';

export interface Processor {
  /** Tempo's processor name, e.g. `span-metrics`. */
  readonly name: string;
  pushTrace(trace: DecodedTrace): void;
  /** Appends the pre-aggregated increments of everything pushed since the last drain, then resets. */
  drain(out: SeriesIncrement[]): void;
  /**
   * Time-driven work, for processors that hold state across pushes (service-graph edges waiting
   * for their other half): handles what is due at nowMs (Unix ms), or everything pending when
   * `all` is set, as if every wait had passed. Called right before drain(). It appends what it
   * produces to out and may append the whole pending batch there (drain() then adds nothing), so
   * that series keep their first-seen order.
   */
  expire?(nowMs: number, out: SeriesIncrement[], all?: boolean): void;
  /**
   * Hands over what waits for a counterpart (service-graph halves) so a later stage can pair it
   * with other batches; may produce increments, which the next drain() appends.
   */
  takePending?(): PendingHalves;
}

/** Counters a processor reports into: `spans_discarded_total{reason, processor}` in Tempo. */
export interface DiscardCounter {
  discard(reason: string, processor: string, spans: number): void;
}
