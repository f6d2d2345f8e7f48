// The registry's plain-data snapshot form, the contract with the state store (lib/store). The
// flusher persists the registry and restores it in another invocation, so everything that affects
// what is sent next -- cumulative values, which initial zeros were already sent, native reset
// timers -- lives here and round-trips through each metric type's snapshot and restore. Pending
// exemplars do not: a collection forgets them once sent (Tempo: modules/generator/registry/
// histogram.go), the flusher collects after its last fold, and exemplars were most of the saved
// bytes. Snapshots written with exemplars still restore them.

import type { LabelPipelineSnapshot } from './label-pipeline.ts';
import type { Label } from './types.ts';

// ---- snapshot (JSON-shaped: Maps become [index, count] pairs, undefined becomes null) ----
// Numbers may be NaN or +-Infinity (e.g. the sum after a NaN observation): a persistence
// encoding must keep them; plain JSON.stringify would turn them into null.

export interface ExemplarSnapshot {
  traceId: string;
  value: number;
}

export interface ClassicSnapshot {
  bounds: number[];
  counts: number[];
  sum: number;
  count: number;
  /** Only in snapshots saved before exemplars were left out. */
  exemplars?: (ExemplarSnapshot | null)[];
  zeroSent: boolean;
}

export interface NativeSnapshot {
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  positive: [number, number][];
  negative: [number, number][];
  count: number;
  sum: number;
  /** Only in snapshots saved before exemplars were left out. */
  exemplar?: ExemplarSnapshot | null;
  lastResetMs: number;
  resetScheduled: boolean;
  zeroSent: boolean;
  configKey: string;
}

/** What every series snapshot holds, whatever its type. */
export interface CommonSnapshot {
  name: string;
  labels: Label[];
  lastUpdatedMs: number;
  overflow: boolean;
}

export type CounterSnapshot = CommonSnapshot & { type: 'counter'; value: number; zeroSent: boolean };
export type GaugeSnapshot = CommonSnapshot & { type: 'gauge'; value: number; sent: boolean };
export type HistogramSnapshot = CommonSnapshot & {
  type: 'histogram';
  classic: ClassicSnapshot | null;
  native: NativeSnapshot | null;
};

export type SeriesSnapshot = CounterSnapshot | GaugeSnapshot | HistogramSnapshot;

export interface RegistrySnapshot {
  version: 1;
  /** Latest timestamp the registry has sent (collections and staleness markers). */
  lastSentMs: number;
  seriesLimitedTotal: number;
  /** Recently removed series key -> timestamp of its staleness marker. */
  tombstones: [string, number][];
  series: SeriesSnapshot[];
  /** Drain clusters and per-label estimates (absent when those controls never ran). */
  cardinality?: LabelPipelineSnapshot;
}
