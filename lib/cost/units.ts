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
  /**
   * Flusher CPU time at one vCPU (bench/flush-minute.ts): folding a delta, per label set it
   * touched; one collection (collect, encode, send), per active label set; the save, per active
   * label set. Lambda gives 1,769 MB one vCPU and less memory a proportional share.
   */
  readonly flushFoldUsPerTouchedLabelSet: number;
  readonly flushCollectUsPerLabelSet: number;
  readonly flushSaveUsPerLabelSet: number;
  /** CloudWatch custom metrics published by an idle stack (flusher only: ingest is not invoked). */
  readonly cloudWatchMetricsIdle: number;
  /** Published with traffic, one tenant and one topic (ingest + flusher), and those per tenant. */
  readonly cloudWatchMetricsActive: number;
  readonly cloudWatchMetricsPerTenant: number;
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
  // bench/flush-minute.ts, 2026-12-01, the least contended of four runs on the shared machine
  // (CPU 67% of wall, load average 8.4); the others measured up to 1.65x these: BENCHMARKS.md
  flushFoldUsPerTouchedLabelSet: 22.2,
  // the collection streamed to remote write (lib/flush/flusher.ts): least contended of four runs
  // each, back to back on the shared machine, 136-182 µs (before: 158-205 µs)
  flushCollectUsPerLabelSet: 136,
  flushSaveUsPerLabelSet: 58,
  // the bench's idle flusher publishes 1; a stack whose tenants all went stale publishes 2
  // (test/metrics/cloudwatch-publication.test.ts); bench/flush-minute.ts counts the others
  cloudWatchMetricsIdle: 2,
  cloudWatchMetricsActive: 16,
  cloudWatchMetricsPerTenant: 2,
};
