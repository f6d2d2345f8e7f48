// Abilities some processors have beyond the Processor contract, each with the type guard the
// pipeline asks with: work that time settles (service-graph edges waiting for their other half),
// and work another tier finishes (the halves the flusher pairs across batches).

import type { ServiceGraphsCounters } from '../servicegraph-model/counters.ts';
import type { SeriesIncrement } from '../series/types.ts';
import type { PendingHalves } from '../servicegraph-model/half.ts';
import type { Processor } from './processor.ts';

/** A processor holding state across pushes that expires with time. */
export interface ExpiringProcessor extends Processor {
  /**
   * Handles what is due at nowMs (Unix ms), or everything pending when `all` is set, as if every
   * wait had passed. Called right before drain(). It appends what it produces to out and may
   * append the whole pending batch there (drain() then adds nothing), so that series keep their
   * first-seen order.
   */
  expire(nowMs: number, out: SeriesIncrement[], all?: boolean): void;
}

/** A processor whose unfinished edges another tier pairs: it hands them over as halves. */
export interface PendingHalvesSource extends Processor {
  /** Tempo's service-graph self-monitoring counters of what it paired, dropped and expired. */
  readonly counters: ServiceGraphsCounters;
  /**
   * Hands over what waits for a counterpart (service-graph halves and dropped sides) so a later
   * stage can pair it with other batches; may produce increments, which the next drain() appends.
   */
  takePending(): PendingHalves;
}

export function isExpiring(p: Processor): p is ExpiringProcessor {
  return typeof (p as Partial<ExpiringProcessor>).expire === 'function';
}

export function isPendingHalvesSource(p: Processor): p is PendingHalvesSource {
  return typeof (p as Partial<PendingHalvesSource>).takePending === 'function';
}
