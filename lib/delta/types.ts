// The per-batch delta: everything one ingest invocation learned from one partition's records,
// pre-aggregated. The ingest Lambda stores it (lib/store) and the flusher folds it into the
// registry. Contract between lib/delta (codec), lib/store and the flusher.

import type { SeriesIncrement } from '../series/types.ts';
import type { DroppedSideHalf, EdgeHalf } from '../servicegraph-model/half.ts';

export interface TenantDelta {
  readonly tenant: string;
  /** One increment per series touched (the processors already merged repeats). */
  readonly increments: readonly SeriesIncrement[];
  /** Service-graph edges left unpaired in the batch, for the flusher to pair (format 2). */
  readonly edgeHalves?: readonly EdgeHalf[];
  /** Sides of spans the service-graph filter policies dropped (format 2). */
  readonly droppedSides?: readonly DroppedSideHalf[];
  /** The tenant's share of the delta's received and discarded counts (format 3). */
  readonly received?: TenantReceived;
}

/** Tempo's spans_received_total, bytes_received_total and spans_discarded_total of one tenant. */
export interface TenantReceived {
  readonly spans: number;
  readonly bytes: number;
  /** By `reason|processor`, as DeltaContent.spansDiscarded. */
  readonly spansDiscarded: Readonly<Record<string, number>>;
}

export interface DeltaContent {
  readonly topic: string;
  readonly partition: number;
  /** Offsets of the first and last record the delta covers (records already committed excluded). */
  readonly firstOffset: number;
  readonly lastOffset: number;
  /** Range of the records' Kafka timestamps (ms), for lag in seconds; 0 when unknown. */
  readonly minTimestampMs: number;
  readonly maxTimestampMs: number;
  readonly records: number;
  readonly spans: number;
  /** Bad records by reason (lib/decode BadRecordReason values). */
  readonly badRecords: Readonly<Record<string, number>>;
  /** Tempo's spans_discarded_total by `reason|processor`. */
  readonly spansDiscarded: Readonly<Record<string, number>>;
  readonly tenants: readonly TenantDelta[];
}
