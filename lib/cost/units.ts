// Measured unit figures of the state tier: what one delta, one save and one invocation cost in
// bytes and time. `npm run bench` (bench/cost.ts) measures each of them through the real ingest
// and flusher code on the embedded DynamoDB and prints them next to these constants; update them
// from that table when the code changes what it writes (BENCHMARKS.md, "cost").

import { DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES } from '../store/delta-objects.ts';

export interface UnitFigures {
  /** Bytes of a delta item besides its label sets (keys, cursor, header, tenant list). */
  readonly deltaFixedBytes: number;
  /** Deltas above this many encoded bytes go to S3 (claim check; lib/store/delta-objects.ts). */
  readonly deltaObjectThresholdBytes: number;
  /** Bytes of the DynamoDB item that points to a delta object (keys, object key, size, CRC-32). */
  readonly deltaPointerItemBytes: number;
  /** Write units of that pointer item. */
  readonly deltaPointerWriteUnits: number;
  /** S3 requests per claim-checked delta: the ingest's PUT and the flusher's GET. */
  readonly deltaObjectPutsPerDelta: number;
  readonly deltaObjectGetsPerDelta: number;
  /** Ingest time added by the PUT of a claim-checked delta (one S3 round trip). */
  readonly deltaObjectPutMs: number;
  /** Delta bytes per distinct label set a batch touched (calls, latency and size together). */
  readonly deltaBytesPerLabelSet: number;
  /** Saved-state bytes per active label set. */
  readonly savedBytesPerLabelSet: number;
  /** Saved-state bytes besides the series (cursors, header). */
  readonly savedFixedBytes: number;
  /** Write units of the cursor commit and read units of the cursor read, per batch. */
  readonly cursorWriteUnitsPerBatch: number;
  readonly cursorReadUnitsPerBatch: number;
  /** Write units per flusher invocation besides the state items (the header claim). */
  readonly flushWriteUnitsPerInvocation: number;
  /** Ingest CPU per span (decode + span metrics), and fixed time per batch (DynamoDB round trips). */
  readonly ingestUsPerSpan: number;
  readonly ingestMsPerBatch: number;
  /** How long an invocation with nothing to send runs (claim, load, fold query, save). */
  readonly flushIdleMs: number;
  /** How long an invocation with series to send runs: until its deadline, then the save. */
  readonly flushActiveMs: number;
}

/**
 * From one `npm run bench` run on the project's machine (BENCHMARKS.md, "cost"), reference
 * workload, with exemplars in every span. Ingest CPU from the decode-spanmetrics group; the
 * per-batch time assumes ~8 ms per DynamoDB round trip, three per batch.
 */
export const MEASURED_UNITS: UnitFigures = {
  deltaFixedBytes: 203,
  deltaObjectThresholdBytes: DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES,
  // measured: 1 PUT per committed large delta, 1 GET when it is folded, a 1-unit pointer item
  deltaPointerItemBytes: 230,
  deltaPointerWriteUnits: 1,
  deltaObjectPutsPerDelta: 1,
  deltaObjectGetsPerDelta: 1,
  // assumed: an in-region S3 PUT of tens of KB (not measurable on the emulator)
  deltaObjectPutMs: 25,
  deltaBytesPerLabelSet: 20.8,
  savedBytesPerLabelSet: 32,
  savedFixedBytes: 600,
  cursorWriteUnitsPerBatch: 1,
  cursorReadUnitsPerBatch: 0.5,
  flushWriteUnitsPerInvocation: 1,
  ingestUsPerSpan: 0.5,
  ingestMsPerBatch: 24,
  // 69 ms measured on the emulator; a cold Lambda start and real round trips take longer
  flushIdleMs: 500,
  flushActiveMs: 58_000,
};
