// The contract between the decode stage and the metric processors, as small as Tempo's
// (modules/generator/processor/interface.go: a name, push spans, and handing on what was made,
// where Tempo's processors write into the registry directly). A processor sees decoded traces
// (already filtered by the ingestion time-range slack), aggregates them in memory, and on drain()
// emits one increment per series touched since the last drain. Abilities only some processors have
// are separate capabilities (capabilities.ts) the pipeline asks for.

import type { DecodedTrace } from '../decode/trace-decoder.ts';
import type { SeriesIncrement } from '../series/types.ts';

export interface Processor {
  /** Tempo's processor name, e.g. `span-metrics`. */
  readonly name: string;
  pushTrace(trace: DecodedTrace): void;
  /** Appends the pre-aggregated increments of everything pushed since the last drain, then resets. */
  drain(out: SeriesIncrement[]): void;
}

/** Counters a processor reports into: `spans_discarded_total{reason, processor}` in Tempo. */
export interface DiscardCounter {
  discard(reason: string, processor: string, spans: number): void;
}
