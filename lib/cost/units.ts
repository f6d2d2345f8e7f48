// Measured unit figures of the state tier: what one delta, one save and one invocation cost in
// bytes and time. `npm run bench` (bench/cost.ts) measures each of them through the real ingest
// and flusher code on the embedded DynamoDB and prints them next to these constants; update them
// from that table when the code changes what it writes (BENCHMARKS.md, "cost").

export interface UnitFigures {
  /** Bytes of a delta item besides its label sets (keys, cursor, header, tenant list). */
  readonly deltaFixedBytes: number;
  /** Delta bytes per distinct label set a batch touched (calls, latency and size together). */
  readonly deltaBytesPerLabelSet: number;
  /** Saved-state bytes per active label set. */
  readonly savedBytesPerLabelSet: number;
  /** Saved-state bytes besides the series (cursors, header). */
  readonly savedFixedBytes: number;
  /** Write units of the header commit that ends a save (the conditional UpdateItem). */
  readonly saveCommitWriteUnits: number;
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
  deltaBytesPerLabelSet: 20.8,
  // binary state format at the reference workload (bench/cost.ts; the JSON format measured 32)
  savedBytesPerLabelSet: 26.6,
  savedFixedBytes: 100,
  saveCommitWriteUnits: 1,
  cursorWriteUnitsPerBatch: 1,
  cursorReadUnitsPerBatch: 0.5,
  flushWriteUnitsPerInvocation: 1,
  ingestUsPerSpan: 0.5,
  ingestMsPerBatch: 24,
  // 69 ms measured on the emulator; a cold Lambda start and real round trips take longer
  flushIdleMs: 500,
  flushActiveMs: 58_000,
};
